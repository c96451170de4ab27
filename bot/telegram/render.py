"""Turn screens into Telegram messages: split long texts, buttons as inline keyboards, hand-off links."""

from __future__ import annotations

import io

import segno
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


def telegram_link(bot_username: str, parameter: str) -> str:
    """The deep link that starts the assistant with this parameter."""
    return f"https://t.me/{bot_username}?start={parameter}"


def qr_png(text: str) -> bytes:
    """A QR code of the text, large enough to scan from another phone's screen (made locally)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
