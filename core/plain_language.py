"""Plain-language limits for what people read: words per screen and per sentence, in every language.

French is the reference: a person who reads little can follow a screen of at most 60 words, with
sentences of at most 20 (FALC-style guidance, as the content review recommends). Other languages
need more or fewer units for the same meaning, so each limit is scaled by the ratio measured on
the whole catalogs before the plain-language rewrite (units per French word, 2026-12-04), with a
tenth of slack for the natural variation of a translation. Chinese has no spaces: it is counted
in characters; Vietnamese is counted in syllables, as it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCREEN_WORDS = 60
SENTENCE_WORDS = 20
# Professionals (worker mode, association notices) read denser text; the content review found
# 90-110 words acceptable for them.
PROFESSIONAL_SCREEN_WORDS = 110
PROFESSIONAL_SENTENCE_WORDS = 40
TRANSLATION_SLACK = 1.1
UNITS_PER_FRENCH_WORD = {
    "fr": 1.0,
    "en": 0.97,
    "es": 1.01,
    "pt": 0.99,
    "ro": 0.95,
    "ar": 0.89,
    "zh": 1.59,
    "ru": 0.82,
    "uk": 0.84,
    "bg": 0.94,
    "vi": 1.3,
}
# Catalog ids read by professionals rather than by the person the assistant is for.
PROFESSIONAL_PREFIXES = ("worker.", "handover.group.", "inbox.")

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_HAN_UNITS = re.compile(rf"[{_HAN}]|[^\W\d_{_HAN}]+|\d+")
_WORDS = re.compile(r"[^\W\d_][\w'’-]*|\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?…。！？؟])\s*|\n")


@dataclass(frozen=True)
class Limits:
    """How many units a screen and a sentence may hold in one language."""

    screen: int
    sentence: int


def units(text: str, language: str) -> int:
    """Words (syllables in Vietnamese, characters in Chinese) of a text, placeholders left out."""
    text = _PLACEHOLDER.sub(" ", text)
    pattern = _HAN_UNITS if language == "zh" else _WORDS
    return len(pattern.findall(text))


def sentences(text: str) -> list[str]:
    """The sentences of a text: a line break or a full stop ends one."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def limits(language: str, professional: bool = False) -> Limits:
    """The limits for one language, scaled from the French ones."""
    screen, sentence = (
        (PROFESSIONAL_SCREEN_WORDS, PROFESSIONAL_SENTENCE_WORDS)
        if professional
        else (SCREEN_WORDS, SENTENCE_WORDS)
    )
    if language == "fr":
        return Limits(screen, sentence)
    scale = UNITS_PER_FRENCH_WORD[language] * TRANSLATION_SLACK
    return Limits(round(screen * scale), round(sentence * scale))


def is_professional(msgid: str) -> bool:
    """Whether a catalog id is read by a professional (worker mode, association side)."""
    return msgid.startswith(PROFESSIONAL_PREFIXES)


def problems(text: str, language: str, professional: bool = False) -> list[str]:
    """What makes a text too dense for its readers, in words a writer can act on; empty if fine."""
    limit = limits(language, professional)
    found = []
    total = units(text, language)
    if total > limit.screen:
        found.append(f"{total} units on one screen (at most {limit.screen})")
    for sentence in sentences(text):
        count = units(sentence, language)
        if count > limit.sentence:
            found.append(f"{count} units in one sentence (at most {limit.sentence}): {sentence[:40]}…")
    return found
