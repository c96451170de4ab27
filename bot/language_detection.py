"""Language detection on free text, trusted only when the text is clearly in one language."""

from __future__ import annotations

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from core.languages import SUPPORTED


def _lingua_language(code: str) -> Language:
    """The lingua Language for an ISO 639-1 code."""
    return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))


class LanguageDetector:
    """Detects the supported language of a message, or None when unsure."""

    def __init__(self, min_confidence: float = 0.9, min_letters: int = 5) -> None:
        languages = [_lingua_language(code) for code in SUPPORTED]
        self._detector = LanguageDetectorBuilder.from_languages(*languages).build()
        self._min_confidence = min_confidence
        self._min_letters = min_letters

    def detect(self, text: str) -> str | None:
        """The language of the text when it is clear; None for short or mixed text."""
        if text.startswith("/") or sum(char.isalpha() for char in text) < self._min_letters:
            return None
        values = self._detector.compute_language_confidence_values(text)
        if not values or values[0].value < self._min_confidence:
            return None
        return values[0].language.iso_code_639_1.name.lower()
