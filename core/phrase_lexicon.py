"""Phrase lexicons: guess a label (a form of exploitation, a worker profile) from free text.

A YAML file maps language → label → phrases; phrases match as whole words after folding case,
accents and punctuation (core.danger.normalise), all languages at once.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import yaml

from core.danger import normalise, phrase_forms

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class PhraseLexicon:
    """Labels in order of preference (ties), and their phrases loaded on first use."""

    def __init__(self, path: Path, labels: tuple[str, ...]) -> None:
        self.path = path
        self.labels = labels

    @cached_property
    def phrases(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Each label's phrases, as their normalised forms, all languages merged."""
        raw = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        merged: dict[str, set[tuple[str, ...]]] = {label: set() for label in self.labels}
        for language, groups in raw.items():
            for label, phrases in groups.items():
                if label not in merged:
                    raise ValueError(f"{self.path.name}: unknown label {label!r} under {language!r}")
                merged[label].update(phrase_forms(p) for p in phrases if normalise(p).strip())
        return {label: tuple(sorted(found)) for label, found in merged.items()}

    def counts(self, text: str) -> dict[str, int]:
        """Number of phrases of each label found in the text (whole words, or anywhere for Chinese)."""
        padded = normalise(text)
        return {
            label: sum(any(form in padded for form in forms) for forms in found)
            for label, found in self.phrases.items()
        }

    def best(self, text: str) -> str | None:
        """The label with the most matching phrases (ties follow the label order), or None."""
        counts = self.counts(text)
        best = max(self.labels, key=counts.__getitem__)
        return best if counts[best] else None
