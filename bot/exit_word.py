"""The quick-exit code word: chosen with /codeword, then sent alone to erase the chat."""

from __future__ import annotations

import asyncio

from core.danger import normalise
from core.i18n import tr
from core.screens import Screen
from storage.exit_words import ExitWords

COMMAND = "/codeword"
OFF = "off"
MIN_LENGTH = 3


def is_code_word_command(text: str) -> bool:
    return text.strip().lower().split("@")[0].split(" ")[0] == COMMAND


def spoken_form(text: str) -> str:
    """The form a word is compared in: case, accents and punctuation ignored."""
    return normalise(text).strip()


async def handle_command(words: ExitWords, pseudonym: str, text: str, language: str) -> list[Screen]:
    """Set, replace or remove the code word; explain how otherwise."""
    parts = text.strip().split(maxsplit=1)  # "/codeword[@bot] the word"
    argument = spoken_form(parts[1]) if len(parts) > 1 else ""
    if argument == OFF:
        await asyncio.to_thread(words.clear, pseudonym)
        return [Screen(tr(language, "codeword.cleared"), language)]
    if len(argument) < MIN_LENGTH or argument.startswith("/"):
        return [Screen(tr(language, "codeword.usage"), language)]
    await asyncio.to_thread(words.set, pseudonym, argument)
    return [Screen(tr(language, "codeword.saved"), language)]


async def is_exit_word(words: ExitWords, pseudonym: str, text: str) -> bool:
    """True when the text, alone, is the person's code word."""
    word = spoken_form(text)
    return len(word) >= MIN_LENGTH and await asyncio.to_thread(words.matches, pseudonym, word)
