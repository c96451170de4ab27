"""NLU component: a second, binary opinion on danger, trained apart from the intent model.

The intent model spreads its attention over twenty-odd intents, and a danger message written in a
way it has not seen (Arabic in Latin letters, a long description of a locked door) can lose to a
rights topic. This classifier only answers "danger or not": a logistic regression over hashed
character n-grams, words and word pairs of the folded text, with both classes weighted equally,
trained on the same examples plus the danger phrases of every language and examples written for it
alone (data/danger_examples/: given to the intent model they made ordinary messages look like
danger). When its probability
reaches the threshold the message becomes `danger`, like a danger phrase does
(rasa_components.danger_override); when the intent model hesitated, a lower bar (half) is enough:
doubt on both sides brings the emergency numbers first, with the likely topics under them.

Hashed features leave no vocabulary to store: the model is two numpy arrays, saved without pickle.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from core import text_features
from core.danger import LEXICON_FILE, normalise, phrases
from core.nlu_files import examples
from core.text_features import vectoriser
from rasa_components.danger_override import DANGER_INTENT, UNSURE_INTENT, force_danger

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "danger_examples"
PROBABILITY_KEY = "danger_probability"
WEIGHTS_FILE = "danger_model.npz"


def danger_phrases() -> list[str]:
    """Every danger phrase of every language, as extra examples of the danger class."""
    return [phrase for listed in phrases().values() for phrase in listed]


def extra_examples(directory: Path = EXAMPLES_DIR) -> list[tuple[str, bool]]:
    """The examples written for this classifier only (text, is danger), in Rasa's NLU layout."""
    files = sorted(directory.glob("*.yml"))
    return [(text, intent == DANGER_INTENT) for path in files for intent, text in examples(path)]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DangerModelClassifier(GraphComponent):
    """Turns a message into `danger` when a binary danger classifier is confident enough."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """threshold: probability from which a message is danger; threshold_in_doubt: the same when
        the intent model hesitated (nlu_fallback); c: inverse regularisation."""
        return {"threshold": 0.7, "threshold_in_doubt": 0.35, "c": 16.0}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Rasa's training cache must see what the graph does not: the phrases, the extra
        examples and this code (a change in any of them trains the classifier again)."""
        digest = hashlib.sha256()
        code = (Path(__file__), Path(text_features.__file__))
        for path in (LEXICON_FILE, *code, *sorted(EXAMPLES_DIR.glob("*.yml"))):
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: np.ndarray | None = None,
        bias: float = 0.0,
    ) -> None:
        self._threshold = float(config["threshold"])
        self._threshold_in_doubt = float(config["threshold_in_doubt"])
        self._c = float(config["c"])
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights
        self._bias = bias
        # Its threshold was chosen with Chinese clauses as whole words; Chinese characters as words
        # (as the intent model has them) caught one more danger message of the phone set for seven
        # more false alarms (docs/languages.md).
        self._vectoriser = vectoriser(chinese_words=False)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerModelClassifier:
        """An untrained classifier; it marks nothing until trained."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> DangerModelClassifier:
        """The trained weights, or an untrained classifier when none were saved."""
        try:
            with model_storage.read_from(resource) as directory:
                saved = np.load(directory / WEIGHTS_FILE)
                return cls(config, model_storage, resource, saved["weights"], float(saved["bias"]))
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit danger against every other intent, and save the weights."""
        examples = [
            (m.get(TEXT), m.get(INTENT) == DANGER_INTENT)
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT)
        ]
        examples += [(phrase, True) for phrase in danger_phrases()] + extra_examples()
        texts = [normalise(text) for text, _ in examples]
        labels = [is_danger for _, is_danger in examples]
        if len(set(labels)) < 2:  # nothing to tell apart (a data set without danger examples)
            return self._resource
        model = LogisticRegression(C=self._c, class_weight="balanced", max_iter=2000)
        model.fit(self._vectoriser.transform(texts), labels)
        self._weights = model.coef_[0].astype(np.float32)
        self._bias = float(model.intercept_[0])
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / WEIGHTS_FILE, weights=self._weights, bias=np.array(self._bias))
        return self._resource

    def probability(self, text: str) -> float:
        """The classifier's probability that the text signals danger (0 when untrained)."""
        if self._weights is None:
            return 0.0
        features = self._vectoriser.transform([normalise(text)])
        score = float(features.dot(self._weights)[0]) + self._bias
        return float(1.0 / (1.0 + np.exp(-score)))

    def process(self, messages: list[Message]) -> list[Message]:
        """Record the probability on each typed message, and mark it danger from the threshold."""
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            probability = round(self.probability(text), 4)
            message.set(PROBABILITY_KEY, probability, add_to_output=True)
            hesitated = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == UNSURE_INTENT
            if probability >= (self._threshold_in_doubt if hesitated else self._threshold):
                # The probability, not certainty: when it is modest, the topic the intent model
                # saw stays on offer beside the emergency numbers (actions.base.with_alternatives).
                force_danger(message, confidence=probability)
        return messages
