"""Language detection on free text: a sure answer, and a guess for short or unclear messages.

The sure answer may switch a conversation to another language; the guess only sets the language
of a conversation that has none yet (see core.languages.resolve). Writing systems used by one
supported language alone decide at once. When the statistical detector is not sure, a language
model learnt from the training examples (core.language_model) gives the guess, if it leads clearly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from core import places
from core.languages import SUPPORTED
from core.linear_text_model import LinearTextModel

MARKERS_FILE = Path(__file__).resolve().parent.parent / "data" / "language_markers.yml"
FRENCH_TERMS_FILE = Path(__file__).resolve().parent.parent / "data" / "french_terms.yml"
_WORD = re.compile(r"[^\W_]+")
# Letters only Vietnamese uses among the supported languages (tone marks, ư, ơ, đ).
VIETNAMESE_LETTERS = re.compile(r"[ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)

# Languages the statistical detector knows only in their own script: typed in Latin letters
# (Arabizi, Russian, Ukrainian and Bulgarian translit) only their marker words can tell them.
TRANSLITERATED = frozenset({"ar", "ru", "uk", "bg"})

# A script that only one supported language uses decides even for one word.
SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "vi": VIETNAMESE_LETTERS,
}


# Arabizi writes the Arabic letters Latin lacks with digits inside words (3afak, l7bs, m3a, 9bel):
# such a word counts as an Arabic marker. Ordinals, times and units (3eme, 2h, 5min) do not.
ARABIZI_WORD = re.compile(r"^[a-z]*[235789][a-z]*$")
NOT_ARABIZI = re.compile(r"^\d+(?:e|er|re|eme|em|h|am|pm|th|st|nd|rd|mn|min|k|km|kg|g|an|ans|x)?$")


def arabizi_words(words: set[str]) -> set[str]:
    """The words shaped like Arabic written with Latin letters and digits."""
    return {
        word
        for word in words
        if ARABIZI_WORD.match(word) and not NOT_ARABIZI.match(word) and sum(c.isalpha() for c in word) >= 2
    }


@lru_cache(maxsize=1)
def markers() -> dict[str, frozenset[str]]:
    """Marker words per language (data/language_markers.yml)."""
    raw = yaml.safe_load(MARKERS_FILE.read_text(encoding="utf-8"))
    return {language: frozenset(words) for language, words in raw.items()}


def marked_language(text: str, minimum: int = 2) -> str | None:
    """A language betrayed by at least `minimum` of its marker words, when exactly one is (for
    Arabic, words written with digits count as markers too)."""
    words = set(_WORD.findall(text.casefold()))
    found = [
        language
        for language, marks in markers().items()
        if len((words & marks) | (arabizi_words(words) if language == "ar" else set())) >= minimum
    ]
    return found[0] if len(found) == 1 and found[0] in SUPPORTED else None


@lru_cache(maxsize=1)
def _french_terms() -> re.Pattern[str]:
    """Whole-word French administrative terms (data/french_terms.yml), longest first."""
    terms = sorted(yaml.safe_load(FRENCH_TERMS_FILE.read_text(encoding="utf-8")), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(term).replace(r"\ ", r"\W+") for term in terms) + r")\b")


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """Lower case without accents ("récépissé" and "recepisse" are one term), with, for each folded
    character, the position of the original character it comes from."""
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKD", char.casefold()):
            if not unicodedata.combining(piece):
                folded.append(piece)
                positions.append(index)
    return "".join(folded), positions


def without_french_terms(text: str) -> str:
    """The text without the French administrative terms people mix into other languages.

    The terms are found on a folded copy and cut from the original, whose accents (ã, ç, ă, ș…)
    the detector needs.
    """
    folded, positions = _folded_with_positions(text)
    kept = list(text)
    for match in _french_terms().finditer(folded):
        for index in range(positions[match.start()], positions[match.end() - 1] + 1):
            kept[index] = " "
    return "".join(kept)


def _lingua_language(code: str) -> Language:
    """The lingua Language for an ISO 639-1 code."""
    return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))


@dataclass(frozen=True)
class Detection:
    """The detected language, and whether it is sure enough to switch a conversation.

    A weak detection (the detector's first choice without a lead) is only a hint: it decides the
    first language of a conversation for which nothing else is known, not even the client's.
    """

    language: str
    sure: bool
    weak: bool = False

    @property
    def guessed(self) -> str | None:
        """The language when this is a guess (neither sure nor weak)."""
        return self.language if not self.sure and not self.weak else None

    @property
    def hinted(self) -> str | None:
        """The language when this is only a hint."""
        return self.language if self.weak else None


class LanguageDetector:
    """Detects the supported language of a message, or None when there is nothing to go on."""

    def __init__(
        self,
        sure_confidence: float = 0.9,
        sure_margin: float = 0.5,
        sure_floor: float = 0.7,
        guess_confidence: float = 0.5,
        guess_margin: float = 0.2,
        min_letters: int = 5,
        model: LinearTextModel | None = None,
        model_margin: float = 0.5,
    ) -> None:
        languages = [_lingua_language(code) for code in SUPPORTED]
        self._detector = LanguageDetectorBuilder.from_languages(*languages).build()
        self._sure, self._guess, self._margin = sure_confidence, guess_confidence, guess_margin
        self._sure_margin, self._sure_floor = sure_margin, sure_floor
        self._min_letters = min_letters
        self._model, self._model_margin = model, model_margin

    def detect(self, text: str) -> str | None:
        """The language of the text when it is clear; None for short, mixed or unclear text."""
        found = self.detection(text)
        return found.language if found and found.sure else None

    def _learnt_language(self, text: str) -> str | None:
        """The language model's answer when it leads the runner-up clearly (gibberish and words
        every language borrows, "hello", "ok", lead by less)."""
        if self._model is None:
            return None
        scores = self._model.scores(text)
        first, second = np.argsort(-scores)[:2]
        if scores[first] - scores[second] < self._model_margin:
            return None
        return str(self._model.labels[first])

    def detection(self, text: str) -> Detection | None:
        """A sure detection, a guess, a hint, or None (a payload, or too few letters)."""
        if text.startswith("/"):
            return None
        for language, script in SCRIPTS.items():
            if language in SUPPORTED and script.search(text):
                return Detection(language, sure=True)
        text = without_french_terms(text)
        if sum(char.isalpha() for char in text) < self._min_letters or places.names_only(text):
            return None  # too short, or only a French place name: no sign of the writer's language
        marked = marked_language(text)
        if marked in TRANSLITERATED:  # the detector would name a Latin-script language instead
            return Detection(marked, sure=True)
        values = self._detector.compute_language_confidence_values(text)
        top = values[0].value if values else 0.0
        second = values[1].value if len(values) > 1 else 0.0
        top_language: str | None = values[0].language.iso_code_639_1.name.lower() if values else None
        clear_lead = top >= self._sure_floor and top - second >= self._sure_margin
        if top_language and (top >= self._sure or clear_lead):
            return Detection(top_language, sure=True)
        learnt = self._learnt_language(text)
        if learnt:
            return Detection(learnt, sure=False)
        if marked:
            return Detection(marked, sure=False)
        if top_language and top >= self._guess and top - second >= self._margin:
            return Detection(top_language, sure=False)
        # Without a lead, one marker word of a language typed in Latin letters says more than the
        # detector, which knows those languages only in their own script.
        hinted = marked_language(text, minimum=1)
        if hinted in TRANSLITERATED:
            return Detection(hinted, sure=False, weak=True)
        if top_language:
            return Detection(top_language, sure=False, weak=True)
        return None
