"""Emergency numbers and erasing the conversation."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.base import ScreenAction
from core.common_screens import emergency
from core.i18n import tr
from core.screens import ERASE_DIRECTIVE, Screen


class ActionEmergency(ScreenAction):
    """Danger words or the emergency button: the emergency numbers, at once."""

    action_name = "action_emergency"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        return [emergency(language)]


class ActionEraseConversation(ScreenAction):
    """Erase: the channel forgets the conversation state once this screen is sent."""

    action_name = "action_erase_conversation"

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        text = tr(language, "erase.done")
        return [Screen(text, language, directives=(ERASE_DIRECTIVE,))]
