"""The binary danger classifier: trained with the model, saved without pickle, loaded, and deciding."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_components.danger_model import PROBABILITY_KEY, WEIGHTS_FILE, DangerModelClassifier

DANGER = ["they locked us in the flat", "he is at the door with a knife", "send someone quickly"]
OTHERS = ["what are my rights at work", "can I get papers", "where can I sleep tonight", "hello"]
RESOURCE = Resource("danger_model")


def examples(texts: list[str], intent: str) -> list[Message]:
    return [Message(data={TEXT: text, INTENT: intent}) for text in texts]


def trained(storage: LocalModelStorage, threshold: float = 0.5) -> DangerModelClassifier:
    config = {**DangerModelClassifier.get_default_config(), "threshold": threshold}
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = DangerModelClassifier.create(config, storage, RESOURCE, context)
    classifier.train(TrainingData(examples(DANGER, "danger") + examples(OTHERS, "rights_work")))
    return classifier


def parsed(text: str, intent: str = "rights_work") -> Message:
    ranking = [{INTENT_NAME_KEY: intent, "confidence": 0.7}, {INTENT_NAME_KEY: "danger", "confidence": 0.2}]
    message = Message(data={TEXT: text})
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    return message


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def test_a_message_like_the_danger_examples_becomes_danger(storage):
    message = trained(storage).process([parsed("they locked me in the flat, send someone")])[0]
    assert message.get(INTENT)[INTENT_NAME_KEY] == "danger"
    assert message.get(INTENT_RANKING_KEY)[0][INTENT_NAME_KEY] == "danger"
    assert [item[INTENT_NAME_KEY] for item in message.get(INTENT_RANKING_KEY)].count("danger") == 1
    assert message.get(PROBABILITY_KEY) >= 0.5


def test_an_everyday_question_keeps_its_intent_and_carries_its_probability(storage):
    message = trained(storage).process([parsed("what are my rights at work")])[0]
    assert message.get(INTENT)[INTENT_NAME_KEY] == "rights_work"
    assert message.get(PROBABILITY_KEY) < 0.5


def test_the_threshold_decides(storage):
    text = "they locked me in the flat, send someone"
    probability = trained(storage).probability(text)
    above = trained(storage, threshold=probability + 0.001).process([parsed(text)])[0]
    assert above.get(INTENT)[INTENT_NAME_KEY] == "rights_work"


def test_buttons_are_left_alone(storage):
    message = trained(storage).process([parsed("/rights_work")])[0]
    assert message.get(INTENT)[INTENT_NAME_KEY] == "rights_work" and message.get(PROBABILITY_KEY) is None


def test_the_weights_are_saved_as_numpy_arrays_and_load_back(storage, tmp_path):
    classifier = trained(storage)
    text = "he is at the door"
    with storage.read_from(RESOURCE) as directory:
        assert (directory / WEIGHTS_FILE).exists()
    config, context = DangerModelClassifier.get_default_config(), ExecutionContext(GraphSchema({}), "test")
    loaded = DangerModelClassifier.load(config, storage, RESOURCE, context)
    assert loaded.probability(text) == pytest.approx(classifier.probability(text))


def test_without_saved_weights_it_marks_nothing(storage):
    context = ExecutionContext(GraphSchema({}), "test")
    empty = DangerModelClassifier.load(DangerModelClassifier.get_default_config(), storage, RESOURCE, context)
    assert empty.probability("they locked us in") == 0.0
    assert empty.process([parsed("they locked us in")])[0].get(INTENT)[INTENT_NAME_KEY] == "rights_work"


def test_the_probability_becomes_the_confidence_so_the_other_topics_stay_ranked(storage):
    classifier = trained(storage, threshold=0.01)
    message = classifier.process([parsed("what are my rights at work")])[0]
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == {INTENT_NAME_KEY: "danger", "confidence": message.get(PROBABILITY_KEY)}
    assert ranking[1][INTENT_NAME_KEY] == "rights_work"


def test_rasa_retrains_it_when_its_examples_change(tmp_path, monkeypatch):
    import rasa_components.danger_model as module

    monkeypatch.setattr(module, "EXAMPLES_DIR", tmp_path)
    (tmp_path / "fr.yml").write_text("nlu: []\n")
    before = DangerModelClassifier.fingerprint_addon({})
    (tmp_path / "fr.yml").write_text("nlu:\n- intent: danger\n  examples: |\n    - il est a la porte\n")
    assert DangerModelClassifier.fingerprint_addon({}) != before


def test_when_the_intent_model_hesitated_a_lower_probability_is_enough(storage):
    text = "someone is at the door of the flat"
    probability = trained(storage).probability(text)
    assert 0.0 < probability < 1.0
    bars = {"threshold": (1.0 + probability) / 2, "threshold_in_doubt": probability / 2}
    config = {**DangerModelClassifier.get_default_config(), **bars}
    classifier = DangerModelClassifier.create(
        config, storage, RESOURCE, ExecutionContext(GraphSchema({}), "test")
    )
    classifier.train(TrainingData(examples(DANGER, "danger") + examples(OTHERS, "rights_work")))
    sure = classifier.process([parsed(text)])[0]
    hesitant = classifier.process([parsed(text, intent="nlu_fallback")])[0]
    assert sure.get(INTENT)[INTENT_NAME_KEY] == "rights_work"
    assert hesitant.get(INTENT)[INTENT_NAME_KEY] == "danger"
    assert hesitant.get(INTENT)["confidence"] == pytest.approx(probability, abs=1e-3)
