"""Opening, language choice, menu, small talk and fallbacks."""

from __future__ import annotations

from dataclasses import replace

from rasa_sdk.events import FollowupAction, SlotSet

from actions.base import ACTION_LISTEN, LANGUAGE_CHOSEN_SLOT, Reply, ScreenAction, Turn
from actions.handover import ActionHandoverConsent, consent_waits
from actions.handover_form import ANSWER_INTENTS, FORM
from core.common_screens import back_to_menu, erase_button, language_buttons, menu_buttons
from core.i18n import N_, tr
from core.screens import Screen
from core.suggestions import HESITATION, suggestions, with_a_person


def menu_screen(language: str, lead_msgid: str | None = None) -> Screen:
    """The main menu, optionally preceded by a short sentence."""
    text = tr(language, "menu.title")
    if lead_msgid:
        text = tr(language, lead_msgid) + "\n\n" + text
    return Screen(text, language, menu_buttons(language))


class ActionStart(ScreenAction):
    """/start: a neutral greeting and the language choice."""

    action_name = "action_start"

    def respond(self, turn: Turn) -> Reply:
        """Greet and offer the languages."""
        return Reply.of(Screen(tr(turn.language, "start.greeting"), turn.language, language_buttons()))


class ActionAskLanguage(ScreenAction):
    """/language: offer every supported language."""

    action_name = "action_ask_language"

    def respond(self, turn: Turn) -> Reply:
        """Offer the languages."""
        return Reply.of(Screen(tr(turn.language, "language.prompt"), turn.language, language_buttons()))


class ActionChooseLanguage(ScreenAction):
    """A language button: remember the explicit choice and show the menu in it."""

    action_name = "action_choose_language"
    follows_language_button = True

    def respond(self, turn: Turn) -> Reply:
        """The menu in the chosen language, which later turns keep."""
        chosen = SlotSet(LANGUAGE_CHOSEN_SLOT, turn.chosen_language is not None)
        return Reply.of(menu_screen(turn.language, N_("language.confirmed")), events=[chosen])


class MenuAction(ScreenAction):
    """The main menu, after a short sentence when the action has one."""

    lead_msgid: str | None = None

    def respond(self, turn: Turn) -> Reply:
        """The menu, led by the action's sentence."""
        return Reply.of(menu_screen(turn.language, self.lead_msgid))


class ActionMainMenu(MenuAction):
    """The main menu."""

    action_name = "action_main_menu"


class ActionGreet(MenuAction):
    """A greeting in free text: greet back and show the menu."""

    action_name = "action_greet"
    lead_msgid = N_("greet.reply")


class ActionThanks(MenuAction):
    """Thanks: acknowledge and keep the menu at hand."""

    action_name = "action_thanks"
    lead_msgid = N_("thanks.reply")


class ActionGoodbye(MenuAction):
    """Goodbye: a warm close with a reminder that erasing is possible."""

    action_name = "action_goodbye"
    lead_msgid = N_("goodbye.reply")


class ActionFallback(MenuAction):
    """Input not understood: the likeliest topics as buttons; off topic, or no candidate: the menu."""

    action_name = "action_fallback"
    lead_msgid = N_("fallback.not_understood")
    offers_alternatives = False  # it offers the likeliest topics itself

    def respond(self, turn: Turn) -> Reply:
        """Never a silent guess: when the model hesitates, the person picks among its best guesses or
        asks for a person."""
        offered = suggestions(turn.ranking, turn.language) if turn.intent == HESITATION else []
        if not offered:
            return super().respond(turn)
        person = with_a_person(offered, turn.language)
        buttons = (*offered, *person, *back_to_menu(turn.language), erase_button(turn.language))
        return Reply.of(Screen(tr(turn.language, "fallback.suggestions"), turn.language, buttons))


def is_stale_answer(turn: Turn) -> bool:
    """A button of the handover questions, pressed once they are no longer asked (sent, cancelled, lost)."""
    return turn.intent in ANSWER_INTENTS and turn.active_loop != FORM


class ActionDefaultFallback(ScreenAction):
    """Rasa's own fallback, used when no rule applies: one helpful screen, then listen.

    Without the final `action_listen`, Rasa would predict this action again and again until its
    circuit breaker trips, which leaves the conversation unable to answer anything, danger included.
    """

    action_name = "action_default_fallback"

    def respond(self, turn: Turn) -> Reply:
        """An expired question's button gets said so, or, when every question was answered and
        nothing sent yet, the consent screen again (the tap that led to it may have been answered
        after the person was shown the static screen); anything else is "not understood"."""
        listen = FollowupAction(ACTION_LISTEN)
        if is_stale_answer(turn) and consent_waits(turn):
            consent = ActionHandoverConsent().respond(turn)
            return replace(consent, events=(*consent.events, listen))
        lead = N_("fallback.question_expired") if is_stale_answer(turn) else N_("fallback.not_understood")
        return Reply.of(menu_screen(turn.language, lead), events=[listen])
