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


def test_model_is_not_current_without_a_model(tmp_path):
    assert not training.model_is_current(tmp_path / "assistant.tar.gz")
