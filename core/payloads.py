"""Language-neutral button payloads: Rasa intent triggers, never translated labels."""

from __future__ import annotations

import json


def make(intent: str, **entities: str | int) -> str:
    """A button payload: an intent and its entities (keep it under Telegram's 64 bytes)."""
    return "/" + intent + (json.dumps(entities, separators=(",", ":")) if entities else "")


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
    return make("set_auto_erase", seconds=seconds)


def choose_language(code: str) -> str:
    """Payload of a language button (kept far below Telegram's 64-byte callback limit)."""
    return make("choose_language", lang_code=code)


PHONE_SAFETY = "/phone_safety"
CODE_WORD = "/codeword"  # handled by the channel: the word must never reach the engine


def safety_answer(value: str) -> str:
    """Payload of an answer to the safety question: `safe` or `watched`."""
    return make("safety_answer", safety=value)
