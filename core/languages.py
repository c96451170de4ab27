"""Supported languages and the rule that picks the language of a reply."""

from __future__ import annotations

SUPPORTED: tuple[str, ...] = ("fr", "en", "es", "pt", "ro", "ar", "zh", "ru", "uk", "bg", "vi")
DEFAULT = "fr"
# Each language shown in its own name, for the language menu.
NATIVE_NAMES: dict[str, str] = {
    "fr": "Français",
    "en": "English",
    "es": "Español",
    "pt": "Português",
    "ro": "Română",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
    "uk": "Українська",
    "bg": "Български",
    "vi": "Tiếng Việt",
}


def normalise(code: str | None) -> str | None:
    """Return the supported language for a code such as 'en-GB', or None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in SUPPORTED else None


def resolve(
    chosen: str | None = None,
    detected: str | None = None,
    previous: str | None = None,
    client: str | None = None,
    guessed: str | None = None,
    hinted: str | None = None,
) -> str:
    """Pick the reply language: explicit choice, clear detection, earlier turns, a guess, client,
    a hint, French.

    A guess (a short or unclear message) only decides a conversation's first language; a hint
    (the detector's first choice without a lead) only when the client's language is unknown too.
    """
    for candidate in (chosen, detected, previous, guessed, client, hinted):
        language = normalise(candidate)
        if language:
            return language
    return DEFAULT
