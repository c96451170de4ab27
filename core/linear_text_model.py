"""A linear classifier of texts over hashed features, kept as numpy arrays (no pickle).

Used for the intent (rasa_components.intent_model) and the language of a message
(core.language_model). A linear support vector machine gives a weight to every hashed column, but
columns no training text touched keep a weight of zero: only the touched ones are kept, with a
lookup from column to row built when the model is loaded. With a sentence weight, the columns of
each text's meaning vector (core.sentence_vectors) follow the hashed ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.svm import LinearSVC

from core.text_features import ALL_COLUMNS, features


def machine(c: float, seed: int) -> LinearSVC:
    """The learner: one linear machine per label against the others."""
    return LinearSVC(C=c, random_state=seed)


@dataclass(frozen=True)
class LinearTextModel:
    labels: np.ndarray  # strings, in the order of the weights' columns
    columns: np.ndarray  # hashed feature columns kept, ascending
    weights: np.ndarray  # (len(columns), len(labels))
    bias: np.ndarray  # (len(labels),)
    longest_characters: int
    spellings: bool = True  # one spelling for sounds written several ways (core.text_features.folded)
    sentence_weight: float = 0.0  # the meaning vector's weight beside the hashed n-grams; 0: none
    _row_of_column: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rows = np.full(ALL_COLUMNS, -1, dtype=np.int32)
        rows[self.columns] = np.arange(len(self.columns), dtype=np.int32)
        object.__setattr__(self, "_row_of_column", rows)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        c: float = 1.0,
        longest_characters: int = 6,
        seed: int = 42,
        spellings: bool = True,
        sentence_weight: float = 0.0,
    ) -> LinearTextModel:
        """Train on the texts (at least two distinct labels)."""
        rows = features(list(texts), longest_characters, spellings, sentence_weight)
        return cls.fit_features(rows, labels, c, longest_characters, seed, spellings, sentence_weight)

    @classmethod
    def fit_features(
        cls,
        rows: Any,
        labels: Sequence[str],
        c: float,
        longest_characters: int,
        seed: int,
        spellings: bool = True,
        sentence_weight: float = 0.0,
    ) -> LinearTextModel:
        """Train on texts already turned into rows by `core.text_features.features` with the same
        settings."""
        names = np.array(sorted(set(labels)))
        trained = machine(c, seed).fit(rows, np.searchsorted(names, list(labels)))
        columns = np.unique(rows.indices).astype(np.int32)
        weights = np.ascontiguousarray(trained.coef_[:, columns].T, dtype=np.float32)
        bias = np.asarray(trained.intercept_, dtype=np.float32)
        if len(names) == 2:  # a binary machine gives one score, for the second label
            weights, bias = np.hstack([-weights, weights]), np.array([-bias[0], bias[0]], dtype=np.float32)
        return cls(names, columns, weights, bias, longest_characters, spellings, sentence_weight)

    def scores(self, text: str, meaning: bool = True, vector: np.ndarray | None = None) -> np.ndarray:
        """The machine's score for each label; without `meaning`, from the n-grams alone (its vector's
        columns read as zeros); `vector`: the text's meaning vector when already read."""
        weight = self.sentence_weight if meaning else 0.0
        read = None if vector is None else vector.reshape(1, -1)
        row = features([text], self.longest_characters, self.spellings, weight, read)
        rows = self._row_of_column[row.indices]
        known = rows >= 0
        return np.asarray(row.data[known] @ self.weights[rows[known]] + self.bias)

    def arrays(self) -> dict[str, np.ndarray]:
        """The model as arrays, for np.savez."""
        return {
            "labels": self.labels,
            "columns": self.columns,
            "weights": self.weights,
            "bias": self.bias,
            "longest_characters": np.array(self.longest_characters),
            "spellings": np.array(self.spellings),
            "sentence_weight": np.array(self.sentence_weight),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> LinearTextModel:
        """The model saved by `arrays`."""
        return cls(
            arrays["labels"],
            arrays["columns"],
            arrays["weights"],
            arrays["bias"],
            int(arrays["longest_characters"]),
            bool(arrays["spellings"]) if "spellings" in arrays else False,  # saved before the spellings
            float(arrays["sentence_weight"]) if "sentence_weight" in arrays else 0.0,  # saved before vectors
        )
