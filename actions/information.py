"""Short, sourced answers for the menu entries whose full flows come later."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.base import ScreenAction
from core.common_screens import back_to_menu, menu_buttons
from core.i18n import N_, tr
from core.screens import Screen

# The date these short answers were last checked against ../shared/domain/facts-fr.md.
REVIEWED_ON = "2026-11-23"


def sourced(language: str, body_msgid: str, source_msgid: str) -> str:
    """An answer followed by its source and review date."""
    footer = tr(language, "source.footer", source=tr(language, source_msgid), date=REVIEWED_ON)
    return tr(language, body_msgid) + "\n\n" + footer


class InformationAction(ScreenAction):
    """A sourced answer followed by the way back to the menu."""

    body_msgid = ""
    source_msgid = ""
    with_menu = False

    def screens(self, language: str, tracker: Tracker) -> list[Screen]:
        buttons = menu_buttons(language) if self.with_menu else back_to_menu(language)
        return [Screen(sourced(language, self.body_msgid, self.source_msgid), language, buttons)]


class ActionRightsOverview(InformationAction):
    """My rights: the rights that hold whatever a person's papers."""

    action_name = "action_rights_overview"
    body_msgid = N_("rights.overview")
    source_msgid = N_("rights.overview.source")


class ActionScreeningIntro(InformationAction):
    """Check my situation: the situations the law protects against."""

    action_name = "action_screening_intro"
    body_msgid = N_("screening.intro")
    source_msgid = N_("screening.intro.source")


class ActionAssociationInfo(InformationAction):
    """Talk to an association: national lines that listen and refer."""

    action_name = "action_association_info"
    body_msgid = N_("association.info")
    source_msgid = N_("association.info.source")


class ActionProfessionalInfo(InformationAction):
    """I am a professional: the key points for frontline workers."""

    action_name = "action_professional_info"
    body_msgid = N_("professional.info")
    source_msgid = N_("professional.info.source")


class ActionShelterTonight(InformationAction):
    """Nowhere to sleep tonight: 115 first."""

    action_name = "action_shelter_tonight"
    body_msgid = N_("shelter.tonight")
    source_msgid = N_("shelter.tonight.source")
    with_menu = True
