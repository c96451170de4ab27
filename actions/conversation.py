"""Opening, language choice, menu, small talk and fallbacks."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import LANGUAGE_CHOSEN_SLOT, ScreenAction, entity_value
from core import languages
from core.common_screens import language_buttons, menu_buttons
from core.i18n import N_, tr
from core.screens import Screen


def menu_screen(language: str, lead_msgid: str | None = None) -> Screen:
    """The main menu, optionally preceded by a short sentence."""
    text = tr(language, "menu.title")
    if lead_msgid:
        text = tr(language, lead_msgid) + "\n\n" + text
    return Screen(text, language, menu_buttons(language))


class ActionStart(ScreenAction):
    """/start: a neutral greeting and the language choice."""

    action_name = "action_start"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [Screen(tr(language, "start.greeting"), language, language_buttons())]


class ActionAskLanguage(ScreenAction):
    """/language: offer every supported language."""

    action_name = "action_ask_language"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [Screen(tr(language, "language.prompt"), language, language_buttons())]


def chosen_language(tracker: Tracker) -> str | None:
    """The language carried by a language button, if it is supported."""
    return languages.normalise(entity_value(tracker, "lang_code"))


class ActionChooseLanguage(ScreenAction):
    """A language button: remember the explicit choice and show the menu in it."""

    action_name = "action_choose_language"

    def language(self, tracker: Tracker) -> str:
        return chosen_language(tracker) or super().language(tracker)

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [menu_screen(language, N_("language.confirmed"))]

    def events(self, language: str, tracker: Tracker) -> list[EventType]:
        return [SlotSet(LANGUAGE_CHOSEN_SLOT, chosen_language(tracker) is not None)]


class ActionMainMenu(ScreenAction):
    """The main menu."""

    action_name = "action_main_menu"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [menu_screen(language)]


class ActionGreet(ScreenAction):
    """A greeting in free text: greet back and show the menu."""

    action_name = "action_greet"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [menu_screen(language, N_("greet.reply"))]


class ActionThanks(ScreenAction):
    """Thanks: acknowledge and keep the menu at hand."""

    action_name = "action_thanks"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [menu_screen(language, N_("thanks.reply"))]


class ActionGoodbye(ScreenAction):
    """Goodbye: a warm close with a reminder that erasing is possible."""

    action_name = "action_goodbye"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [menu_screen(language, N_("goodbye.reply"))]


class ActionFallback(ScreenAction):
    """Input not understood (low confidence or off topic): say so kindly and offer the menu."""

    action_name = "action_fallback"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [menu_screen(language, N_("fallback.not_understood"))]


class ActionDefaultFallback(ActionFallback):
    """Rasa's own fallback, used when no rule applies: the same helpful screen."""

    action_name = "action_default_fallback"
