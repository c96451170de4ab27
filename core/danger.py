"""Deterministic danger-word check: a safety net under the NLU model, in every language."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "danger_words.yml"
_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, and pad with spaces for whole-word matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return f" {_NON_WORD.sub(' ', bare).strip()} "


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    """Danger phrases per language, normalised once."""
    raw = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    return {lang: tuple(normalise(phrase) for phrase in phrases) for lang, phrases in raw.items()}


def matching_language(text: str) -> str | None:
    """Return the language of the first danger phrase found in the text, or None."""
    padded = normalise(text)
    for language, phrases in lexicon().items():
        if any(phrase in padded for phrase in phrases):
            return language
    return None


def contains_danger(text: str) -> bool:
    """True when the text holds a danger phrase of any supported language."""
    return matching_language(text) is not None
