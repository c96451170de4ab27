"""Language-neutral button payloads: Rasa intent triggers, never translated labels."""

from __future__ import annotations

import json

MENU = "/menu"
LANGUAGE = "/language"
RIGHTS = "/menu_rights"
SCREENING = "/menu_screening"
ASSOCIATION = "/menu_association"
EMERGENCY = "/menu_emergency"
PROFESSIONAL = "/menu_professional"
ERASE = "/menu_erase"


def choose_language(code: str) -> str:
    """Payload of a language button (kept far below Telegram's 64-byte callback limit)."""
    return "/choose_language" + json.dumps({"lang_code": code}, separators=(",", ":"))
