"""NLU component: a danger phrase in any language forces the `danger` intent.

It sits after the statistical classifiers so that a message the model misreads
(a typo, a language it knows less well) still reaches the emergency numbers.
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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerWordClassifier(GraphComponent):
    """Overrides the predicted intent with `danger` when a danger phrase is present."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerWordClassifier:
        """Build the component; it has no parameters and nothing to train."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark every message holding a danger phrase as `danger` with full confidence."""
        for message in messages:
            text = message.get(TEXT)
            if text and not text.startswith("/") and contains_danger(text):
                force_danger(message)
        return messages


def force_danger(message: Message, confidence: float = 1.0) -> None:
    """Make `danger` the message's intent, first in the ranking (a phrase: with full confidence)."""
    top = {INTENT_NAME_KEY: DANGER_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [
        item for item in message.get(INTENT_RANKING_KEY) or [] if item.get(INTENT_NAME_KEY) != DANGER_INTENT
    ]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
