"""The safety net after the classifiers: danger phrases, and hesitant readings that lean towards danger."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_components.danger_override import DangerWordClassifier


def parsed(text: str, *ranked: tuple[str, float]) -> Message:
    ranking = [{INTENT_NAME_KEY: name, "confidence": confidence} for name, confidence in ranked]
    message = Message(data={TEXT: text})
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    return message


@pytest.fixture
def net(tmp_path) -> DangerWordClassifier:
    config = DangerWordClassifier.get_default_config()
    context = ExecutionContext(GraphSchema({}), "test")
    return DangerWordClassifier.create(config, LocalModelStorage(tmp_path), Resource("net"), context)


def intent(message: Message) -> tuple[str, float]:
    top = message.get(INTENT)
    return top[INTENT_NAME_KEY], top["confidence"]


def test_a_danger_phrase_is_danger_with_full_confidence(net):
    message = net.process([parsed("help, he has a knife", ("rights_work", 0.9), ("danger", 0.05))])[0]
    assert intent(message) == ("danger", 1.0)


def test_a_hesitant_reading_with_danger_likeliest_is_danger(net):
    ranked = [("nlu_fallback", 0.45), ("danger", 0.4), ("rights_work", 0.35), ("need_shelter", 0.2)]
    message = net.process([parsed("something unclear", *ranked)])[0]
    assert intent(message) == ("danger", 0.4)
    names = [item[INTENT_NAME_KEY] for item in message.get(INTENT_RANKING_KEY)]
    assert names[0] == "danger" and names.count("danger") == 1
    assert "rights_work" in names  # the other topics stay ranked, to be offered beside the numbers


@pytest.mark.parametrize("place", [1, 2])
def test_a_hesitant_reading_with_danger_lower_is_left_to_the_danger_classifier(net, place):
    others = [("rights_work", 0.4), ("need_shelter", 0.3)]
    others.insert(place, ("danger", 0.2))
    ranked = [("nlu_fallback", 0.45), *others]
    assert intent(net.process([parsed("something unclear", *ranked)])[0]) == ("nlu_fallback", 0.45)


def test_a_wider_rank_can_be_configured(tmp_path):
    config = {**DangerWordClassifier.get_default_config(), "unsure_rank": 2}
    context = ExecutionContext(GraphSchema({}), "test")
    wide = DangerWordClassifier.create(config, LocalModelStorage(tmp_path), Resource("net"), context)
    ranked = [("nlu_fallback", 0.45), ("rights_work", 0.4), ("danger", 0.2), ("need_shelter", 0.1)]
    assert intent(wide.process([parsed("something unclear", *ranked)])[0]) == ("danger", 0.2)


def test_a_sure_reading_keeps_its_intent_even_with_danger_second(net):
    message = net.process([parsed("where can I sleep", ("need_shelter", 0.7), ("danger", 0.25))])[0]
    assert intent(message) == ("need_shelter", 0.7)


def test_buttons_are_left_alone(net):
    message = net.process([parsed("/menu", ("nlu_fallback", 0.45), ("danger", 0.3))])[0]
    assert intent(message) == ("nlu_fallback", 0.45)
