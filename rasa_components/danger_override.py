"""NLU component: a danger phrase in any language forces the `danger` intent, and so does doubt
that leans towards danger.

It sits after the statistical classifiers so that a message the model misreads
(a typo, a language it knows less well) still reaches the emergency numbers. When the model
hesitates (the FallbackClassifier's `nlu_fallback`) and danger is its likeliest reading, the
emergency numbers come first (danger ranked lower is the danger classifier's to judge): the
other likely topics stay one tap away under them (actions.base.with_alternatives), whereas a
person in danger must not have to find the right button among topics.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from core.danger import contains_danger

DANGER_INTENT = "danger"
UNSURE_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerWordClassifier(GraphComponent):
    """Overrides the predicted intent with `danger` when a danger phrase is present."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """unsure_rank: in a hesitant reading, danger within this many likeliest intents wins. One:
        danger second is left to the danger classifier, whose bar is halved when the intent model
        hesitates (rasa_components.danger_model); two caught no more danger on the held-out sets
        and raised false alarms (docs/languages.md)."""
        return {"unsure_rank": 1}

    def __init__(self, unsure_rank: int) -> None:
        self._unsure_rank = unsure_rank

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerWordClassifier:
        """Build the component; it has nothing to train."""
        return cls(int(config["unsure_rank"]))  # Rasa merges the default config in

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark every message holding a danger phrase as `danger` with full confidence, and a hesitant
        reading that ranks danger high as `danger` with the model's confidence in it."""
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            if contains_danger(text):
                force_danger(message)
            elif (leaning := danger_in_doubt(message, self._unsure_rank)) is not None:
                force_danger(message, confidence=leaning)
        return messages


def danger_in_doubt(message: Message, rank: int) -> float | None:
    """Danger's confidence when the model hesitated and danger is among its `rank` likeliest intents."""
    if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != UNSURE_INTENT:
        return None
    ranking = [
        item for item in message.get(INTENT_RANKING_KEY) or [] if item.get(INTENT_NAME_KEY) != UNSURE_INTENT
    ]
    for item in ranking[:rank]:
        if item.get(INTENT_NAME_KEY) == DANGER_INTENT:
            return float(item.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    return None


def force_danger(message: Message, confidence: float = 1.0) -> None:
    """Make `danger` the message's intent, first in the ranking (a phrase: with full confidence)."""
    top = {INTENT_NAME_KEY: DANGER_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [
        item for item in message.get(INTENT_RANKING_KEY) or [] if item.get(INTENT_NAME_KEY) != DANGER_INTENT
    ]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
