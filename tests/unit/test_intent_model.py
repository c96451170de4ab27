"""The linear intent classifier: trained with the model, calibrated, saved without pickle, and loaded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from core import sentence_vectors, text_features
from core.text_features import folded, words
from rasa_components.intent_model import MODEL_FILE, LinearIntentClassifier, best_temperature, softmax

EXAMPLES = {
    "rights_work": [
        "my boss does not pay my wages",
        "I work 14 hours a day without a contract",
        "they keep my salary for the debt",
        "mi jefe no me paga el salario",
        "patronul nu imi plateste salariul",
        "хозяин не платит зарплату",
    ],
    "need_shelter": [
        "where can I sleep tonight",
        "I have nowhere to sleep",
        "I need a bed for tonight",
        "donde puedo dormir esta noche",
        "unde pot dormi la noapte",
        "где переночевать сегодня",
    ],
    "rights_health": [
        "can I see a doctor without papers",
        "I am sick and have no money for the hospital",
        "who pays for the doctor",
        "puedo ver a un medico sin papeles",
        "pot merge la doctor fara acte",
        "можно к врачу без документов",
    ],
}
RESOURCE = Resource("intent_model")
CONTEXT = ExecutionContext(GraphSchema({}), "test")


def training_data(examples: dict[str, list[str]] = EXAMPLES) -> TrainingData:
    messages = [
        Message(data={TEXT: text, INTENT: intent}) for intent, texts in examples.items() for text in texts
    ]
    return TrainingData(messages)


def trained(storage: LocalModelStorage, **config: object) -> LinearIntentClassifier:
    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **config}, storage, RESOURCE, CONTEXT
    )
    classifier.train(training_data())
    return classifier


def parsed(classifier: LinearIntentClassifier, text: str) -> Message:
    return classifier.process([Message(data={TEXT: text})])[0]


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("my boss never pays the salary", "rights_work"),
        ("no tengo donde dormir esta noche", "need_shelter"),
        ("nu am bani de doctor", "rights_health"),
    ],
)
def test_a_message_gets_the_intent_of_the_examples_it_resembles(storage, text, intent):
    message = parsed(trained(storage), text)
    assert message.get(INTENT)[INTENT_NAME_KEY] == intent
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0][INTENT_NAME_KEY] == intent
    assert sorted(item[INTENT_NAME_KEY] for item in ranking) == sorted(EXAMPLES)
    assert sum(item["confidence"] for item in ranking) == pytest.approx(1.0)
    confidences = [item["confidence"] for item in ranking]
    assert confidences == sorted(confidences, reverse=True)


def test_missing_accents_and_tone_marks_make_no_difference_to_the_characters(storage):
    classifier = trained(storage, sentence_weight=0.0)
    assert classifier.ranking("où dormir ce soir, je n'ai pas de lit") == classifier.ranking(
        "ou dormir ce soir je n ai pas de lit"
    )


def test_with_the_meaning_vector_too_accents_do_not_change_the_reading(tmp_path):
    classifier = trained(LocalModelStorage(tmp_path))
    assert classifier.ranking("où dormir ce soir, je n'ai pas de lit")[0][0] == "need_shelter"
    assert classifier.ranking("ou dormir ce soir je n ai pas de lit")[0][0] == "need_shelter"


def test_russian_typed_in_latin_letters_is_read_like_cyrillic(storage):
    message = parsed(trained(storage), "gde perenochevat segodnya")
    assert message.get(INTENT)[INTENT_NAME_KEY] == "need_shelter"


def test_chinese_characters_are_words_of_their_own():
    chinese = "我没有地方睡觉"
    assert words(folded([f"{chinese}, la préfecture"])[0]) == [*chinese, "la", "prefecture"]


def test_the_ranking_is_cut_to_its_length(storage):
    ranking = parsed(trained(storage, ranking_length=2), "where to sleep").get(INTENT_RANKING_KEY)
    assert len(ranking) == 2


def test_an_empty_message_gets_no_intent_and_no_confidence(storage):
    message = parsed(trained(storage), "   ")
    assert message.get(INTENT) == {INTENT_NAME_KEY: None, "confidence": 0.0}
    assert message.get(INTENT_RANKING_KEY) == []


def test_an_untrained_classifier_gives_no_intent(storage):
    defaults = LinearIntentClassifier.get_default_config()
    empty = LinearIntentClassifier.load(defaults, storage, RESOURCE, CONTEXT)
    assert parsed(empty, "where can I sleep").get(INTENT)[INTENT_NAME_KEY] is None


def test_the_model_is_saved_as_numpy_arrays_and_loads_back_the_same(storage):
    classifier = trained(storage)
    with (
        storage.read_from(RESOURCE) as directory,
        np.load(directory / MODEL_FILE, allow_pickle=False) as saved,
    ):
        assert {"labels", "columns", "weights", "bias", "temperature"} <= set(saved.files)
        assert saved["weights"].shape == (len(saved["columns"]), len(EXAMPLES))
    defaults = LinearIntentClassifier.get_default_config()
    loaded = LinearIntentClassifier.load(defaults, storage, RESOURCE, CONTEXT)
    for text in ("my boss keeps my wages", "doctor", "dormir"):
        assert loaded.ranking(text) == pytest.approx(classifier.ranking(text))


def test_the_temperature_is_fitted_on_the_training_data_when_there_are_enough_examples(storage, tmp_path):
    fitted = trained(storage, folds=3, temperature=1.0)
    assert fitted.temperature != 1.0
    (tmp_path / "other").mkdir()
    given = trained(LocalModelStorage(tmp_path / "other"), folds=10, temperature=1.0)
    assert given.temperature == 1.0  # fewer examples per intent than folds: the configured value


def test_two_intents_make_a_proper_distribution(storage):
    defaults = LinearIntentClassifier.get_default_config()
    classifier = LinearIntentClassifier.create(defaults, storage, RESOURCE, CONTEXT)
    classifier.train(training_data({k: EXAMPLES[k] for k in ("rights_work", "need_shelter")}))
    ranking = classifier.ranking("where can I sleep")
    assert ranking[0][0] == "need_shelter" and sum(p for _, p in ranking) == pytest.approx(1.0)


def test_the_best_temperature_makes_confident_scores_sharper_and_confused_ones_flatter():
    truth = np.array([0, 1, 0, 1])
    separated = np.array([[1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]])
    confused = np.array([[1.0, -1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, 1.0]])
    assert best_temperature(separated, truth) > best_temperature(confused, truth)
    assert softmax(separated, 2.0).sum(axis=1) == pytest.approx(np.ones(4))


@pytest.mark.parametrize("module", [text_features, sentence_vectors], ids=["features", "meaning vectors"])
def test_rasa_retrains_it_when_the_features_or_the_meaning_vectors_change(tmp_path, monkeypatch, module):
    copy = tmp_path / Path(module.__file__).name
    copy.write_text(Path(module.__file__).read_text())
    monkeypatch.setattr(module, "__file__", str(copy))
    before = LinearIntentClassifier.fingerprint_addon({})
    copy.write_text(copy.read_text() + "\n# changed\n")
    assert LinearIntentClassifier.fingerprint_addon({}) != before


@pytest.mark.skipif(not sentence_vectors.processor_supported(), reason="the engine needs AVX2")
@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("أين يمكنني أن أنام الليلة", "need_shelter"),  # a script no example is written in
        ("老板不给我发工资", "rights_work"),
        ("bác sĩ có khám cho người không có giấy tờ không", "rights_health"),
    ],
)
def test_the_meaning_vector_reads_languages_no_example_shares_a_letter_with(storage, text, intent):
    message = parsed(trained(storage), text)
    assert message.get(INTENT)[INTENT_NAME_KEY] == intent


def test_a_button_payload_is_read_without_its_meaning_vector(storage, monkeypatch):
    classifier = trained(storage)
    read: list[str] = []
    real = sentence_vectors.vectors

    def counted(texts):
        read.extend(texts)
        return real(texts)

    monkeypatch.setattr(sentence_vectors, "vectors", counted)
    assert parsed(classifier, '/need_shelter{"language": "en"}').get(INTENT)[INTENT_NAME_KEY] is not None
    assert read == []
    parsed(classifier, "where can I sleep tonight")
    assert read == ["where can I sleep tonight"]


def no_vectors(texts):
    return np.zeros((len(texts), sentence_vectors.DIMENSION), dtype=np.float32)


UNSEEN = ("my boss never pays the salary", "no tengo donde dormir esta noche", "nu am bani de doctor")


@pytest.fixture
def characters_only(tmp_path: Path) -> LinearIntentClassifier:
    """The same examples learnt without meaning vectors."""
    directory = tmp_path / "characters"
    directory.mkdir()
    return trained(LocalModelStorage(directory), sentence_weight=0.0)


def test_without_the_engine_at_run_time_the_characters_only_machine_reads(
    storage, characters_only, monkeypatch
):
    # a model that learnt with meaning vectors, given zeros, reads badly (0.59 of the older held-out
    # messages): texts without a vector go to a machine trained on the characters alone
    classifier = trained(storage)
    monkeypatch.setattr(sentence_vectors, "vectors", no_vectors)
    for text in UNSEEN:
        assert classifier.ranking(text) == pytest.approx(characters_only.ranking(text))
    message = parsed(classifier, "my boss never pays the salary")
    assert message.get(INTENT)[INTENT_NAME_KEY] == "rights_work"
    assert sum(item["confidence"] for item in message.get(INTENT_RANKING_KEY)) == pytest.approx(1.0)


def test_with_the_engine_the_meaning_vector_is_read(storage, characters_only):
    classifier = trained(storage)
    assert any(classifier.ranking(text) != pytest.approx(characters_only.ranking(text)) for text in UNSEEN)


def test_a_button_payload_is_read_by_the_characters_only_machine(storage, characters_only):
    classifier = trained(storage)
    payload = '/need_shelter{"language": "en"}'
    assert classifier.ranking(payload) == pytest.approx(characters_only.ranking(payload))


def test_the_characters_only_machine_is_saved_and_loaded_with_the_model(storage, monkeypatch):
    classifier = trained(storage)
    with (
        storage.read_from(RESOURCE) as directory,
        np.load(directory / MODEL_FILE, allow_pickle=False) as saved,
    ):
        assert {"characters_weights", "characters_columns", "characters_temperature"} <= set(saved.files)
        assert float(saved["characters_sentence_weight"]) == 0.0
    loaded = LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(), storage, RESOURCE, CONTEXT
    )
    monkeypatch.setattr(sentence_vectors, "vectors", no_vectors)
    for text in UNSEEN:
        assert loaded.ranking(text) == pytest.approx(classifier.ranking(text))


def test_a_model_saved_before_the_characters_only_machine_still_reads(storage, monkeypatch):
    trained(storage)
    with storage.read_from(RESOURCE) as directory:
        with np.load(directory / MODEL_FILE, allow_pickle=False) as saved:
            older = {key: saved[key] for key in saved.files if not key.startswith("characters_")}
        np.savez_compressed(directory / MODEL_FILE, **older)
    loaded = LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(), storage, RESOURCE, CONTEXT
    )
    monkeypatch.setattr(sentence_vectors, "vectors", no_vectors)
    assert loaded.ranking("my boss never pays the salary")[0][0] == "rights_work"
