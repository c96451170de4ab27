"""Hand-off links as the person will open them: a t.me link and its QR code (PNG, made locally)."""

from __future__ import annotations

import io

import segno


def telegram_link(bot_username: str, parameter: str) -> str:
    """The deep link that starts the assistant with this parameter."""
    return f"https://t.me/{bot_username}?start={parameter}"


def qr_png(text: str) -> bytes:
    """A QR code of the text, large enough to scan from another phone's screen."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
