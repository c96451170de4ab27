"""Turn screens into Telegram messages: split long texts, buttons as inline keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.screens import Screen

TELEGRAM_TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64  # bytes, fixed by the Bot API


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split at paragraph, line or word boundaries so each part fits Telegram's limit."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind(sep, 0, limit) for sep in ("\n\n", "\n", " "))
        cut = cut if cut > 0 else limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [part for part in parts if part] or [""]


def command_text(text: str) -> str:
    """`/cmd@our_bot args` -> `/cmd`: the engine knows commands by name only; other text is kept."""
    if not text.startswith("/"):
        return text
    command = text.split(maxsplit=1)[0]
    if "{" in command:  # a payload with entities, e.g. /choose_language{"lang_code":"en"}
        return text
    return command.split("@", 1)[0]


COMPACT_PER_ROW = 3


def keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    """One button per row, easy to tap on a phone; compact buttons three to a row."""
    rows: list[list[InlineKeyboardButton]] = []
    previous_compact = False
    for button in screen.buttons:
        if len(button.payload.encode()) > CALLBACK_DATA_LIMIT:
            continue
        key = InlineKeyboardButton(button.title, callback_data=button.payload)
        if button.compact and previous_compact and len(rows[-1]) < COMPACT_PER_ROW:
            rows[-1].append(key)
        else:
            rows.append([key])
        previous_compact = button.compact
    return InlineKeyboardMarkup(rows) if rows else None
