"""Which professional profile a worker names in free text ("I'm a nurse" → health)."""

from __future__ import annotations

from core.phrase_lexicon import DATA_DIR, PhraseLexicon

# Ties go to the more specific profile first.
PROFILES = ("labour_inspection", "police", "health", "child_protection", "social", "volunteer")
LEXICON = PhraseLexicon(DATA_DIR / "worker_profile_words.yml", PROFILES)


def detect_profile(text: str) -> str | None:
    """The profile named in the text, or None."""
    return LEXICON.best(text)
