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
ERASE = "/quick_exit"  # handled by the channel itself, so it works even if the engine is down
QUICK_EXIT_COMMANDS = ("/quick_exit", "/exit")
AUTO_ERASE = "/auto_erase"


def set_auto_erase(seconds: int) -> str:
    """Payload of an auto-erase choice (0 = off)."""
    return "/set_auto_erase" + json.dumps({"seconds": seconds}, separators=(",", ":"))


def choose_language(code: str) -> str:
    """Payload of a language button (kept far below Telegram's 64-byte callback limit)."""
    return "/choose_language" + json.dumps({"lang_code": code}, separators=(",", ":"))


PHONE_SAFETY = "/phone_safety"
CODE_WORD = "/codeword"  # handled by the channel: the word must never reach the engine


def safety_answer(value: str) -> str:
    """Payload of an answer to the safety question: `safe` or `watched`."""
    return "/safety_answer" + json.dumps({"safety": value}, separators=(",", ":"))
