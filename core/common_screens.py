"""Screens shared by the action server and the bot's static fallback (no engine needed)."""

from __future__ import annotations

from core import payloads
from core.i18n import N_, tr
from core.languages import NATIVE_NAMES, SUPPORTED
from core.screens import Button, Screen


def menu_buttons(language: str) -> tuple[Button, ...]:
    """The main menu, in the person's language."""
    entries = (
        (N_("menu.button.rights"), payloads.RIGHTS),
        (N_("menu.button.screening"), payloads.SCREENING),
        (N_("menu.button.association"), payloads.ASSOCIATION),
        (N_("menu.button.emergency"), payloads.EMERGENCY),
        (N_("menu.button.professional"), payloads.PROFESSIONAL),
    )
    return (*(Button(tr(language, msgid), payload) for msgid, payload in entries), erase_button(language))


def language_buttons() -> tuple[Button, ...]:
    """One button per supported language, each in its own name and script."""
    return tuple(
        Button(NATIVE_NAMES[code], payloads.choose_language(code), compact=True) for code in SUPPORTED
    )


def back_to_menu(language: str) -> tuple[Button, ...]:
    """A single button leading back to the main menu."""
    return (Button(tr(language, "menu.button.back"), payloads.MENU),)


def erase_button(language: str) -> Button:
    """The quick exit: erase this conversation (handled by the channel, even without the engine)."""
    return Button(tr(language, "menu.button.erase"), payloads.ERASE)


def emergency_text(language: str) -> str:
    """The emergency numbers, in the person's language."""
    return tr(language, "emergency.numbers")


def emergency(language: str, intent: str | None = None) -> Screen:
    """Emergency numbers, then the menu so the person is never stuck."""
    return Screen(emergency_text(language), language, menu_buttons(language), intent)


def static_fallback(language: str) -> Screen:
    """Shown when the engine is down or slow: menu and emergency numbers, never silence."""
    text = tr(language, "fallback.engine_unavailable") + "\n\n" + emergency_text(language)
    return Screen(text, language, menu_buttons(language))


def unsupported_media(language: str) -> Screen:
    """Reply to photos, voice, stickers, locations and files: not kept, not forwarded."""
    return Screen(tr(language, "media.unsupported"), language, menu_buttons(language))


def slow_down(language: str) -> Screen:
    """Reply to a flood of messages: the person is told, not ignored."""
    return Screen(tr(language, "flood.slow_down"), language)
