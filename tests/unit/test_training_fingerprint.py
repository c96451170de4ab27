from app import training


def test_fingerprint_changes_with_training_data(tmp_path):
    for name in ("nlu", "dialogues", "rasa_components"):
        (tmp_path / name).mkdir()
    (tmp_path / "config.yml").write_text("a")
    (tmp_path / "nlu" / "x.yml").write_text("one")
    before = training.fingerprint(tmp_path)
    assert training.fingerprint(tmp_path) == before
    (tmp_path / "nlu" / "x.yml").write_text("two")
    assert training.fingerprint(tmp_path) != before


def test_the_classifiers_code_and_the_danger_data_count_too(tmp_path):
    (tmp_path / "config.yml").write_text("a")
    (tmp_path / "data" / "danger_examples").mkdir(parents=True)
    before = training.fingerprint(tmp_path)
    (tmp_path / "data" / "danger_examples" / "fr.yml").write_text("nlu: []")
    with_examples = training.fingerprint(tmp_path)
    (tmp_path / "data" / "danger_words.yml").write_text("fr: [au secours]")
    with_phrases = training.fingerprint(tmp_path)
    (tmp_path / "rasa_components").mkdir()
    (tmp_path / "rasa_components" / "danger_model.py").write_text("# code")
    with_danger_code = training.fingerprint(tmp_path)
    (tmp_path / "rasa_components" / "intent_model.py").write_text("# code")
    with_intent_code = training.fingerprint(tmp_path)
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "text_features.py").write_text("# code")
    with_features = training.fingerprint(tmp_path)
    (tmp_path / "core" / "language_model.py").write_text("# code")
    fingerprints = {before, with_examples, with_phrases, with_danger_code, with_intent_code, with_features}
    assert len(fingerprints | {training.fingerprint(tmp_path)}) == 7


def test_model_is_not_current_without_a_model(tmp_path):
    assert not training.model_is_current(tmp_path / "assistant.tar.gz")


def test_model_is_not_current_without_its_language_model(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "fingerprint", lambda root=None: "same")
    model = tmp_path / "assistant.tar.gz"
    model.write_bytes(b"model")
    (tmp_path / "assistant.fingerprint").write_text("same\n")
    assert not training.model_is_current(model)
    (tmp_path / "languages.npz").write_bytes(b"arrays")
    assert training.model_is_current(model)
