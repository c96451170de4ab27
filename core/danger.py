"""Deterministic danger-word check: a safety net under the NLU model, in every language."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "danger_words.yml"
_NON_WORD = re.compile(r"[^\w]+")
# Scripts written without spaces between words: their phrases match anywhere, not as whole words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Arabic joins "and" / "so" to the next word: "وضربني" is "and he hit me".
ARABIC_PREFIXES = ("و", "ف")


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, and pad with spaces for whole-word matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return f" {_NON_WORD.sub(' ', bare).strip()} "


def phrase_forms(phrase: str) -> tuple[str, ...]:
    """The normalised forms under which a phrase is looked for."""
    padded = normalise(phrase)
    if _UNSPACED.search(padded):
        return (padded.strip(),)
    if _ARABIC.search(padded):
        return (padded, *(f" {prefix}{padded.lstrip()}" for prefix in ARABIC_PREFIXES))
    return (padded,)


@lru_cache(maxsize=1)
def phrases() -> dict[str, tuple[str, ...]]:
    """Danger phrases per language, as written in data/danger_words.yml."""
    raw = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    return {language: tuple(str(phrase) for phrase in listed) for language, listed in raw.items()}


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    """Danger phrases per language, normalised once, with their variant forms."""
    return {
        language: tuple(form for phrase in listed for form in phrase_forms(phrase) if form.strip())
        for language, listed in phrases().items()
    }


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
