"""Hand-off links a worker shows: t.me/<bot>?start=<parameter>, with no personal data in it.

The parameter names only the language and the worker's association: `h-<language>-<association id>`.
"""

from __future__ import annotations

import re

from core import languages, payloads

_PARAMETER = re.compile(r"^h-([a-z]{2})-([a-z0-9_]{2,20})$")
START_LIMIT = 64  # Telegram's limit for a start parameter


def start_parameter(language: str, association_id: str) -> str:
    """The start parameter for a language and an association."""
    parameter = f"h-{language}-{association_id}"
    if not _PARAMETER.match(parameter) or len(parameter) > START_LIMIT:
        raise ValueError("not a valid hand-off parameter")
    return parameter


def link(bot_username: str, language: str, association_id: str) -> str:
    """The deep link that opens the assistant for the person."""
    return f"https://t.me/{bot_username}?start={start_parameter(language, association_id)}"


def payload_for_start(text: str) -> str | None:
    """The engine payload for `/start h-…`, or None when the text is not such a start."""
    parts = text.split()
    if len(parts) != 2 or parts[0].split("@")[0] != "/start":
        return None
    found = _PARAMETER.match(parts[1])
    if not found or languages.normalise(found.group(1)) is None:
        return None
    return payloads.handover_via(found.group(2), found.group(1))
