"""Short, sourced answers for the menu entries whose full flows come later."""

from __future__ import annotations

from actions.base import Reply, ScreenAction, Turn
from core.common_screens import back_to_menu
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

    def respond(self, turn: Turn) -> Reply:
        """The answer, its source, and the way back."""
        text = sourced(turn.language, self.body_msgid, self.source_msgid)
        return Reply.of(Screen(text, turn.language, back_to_menu(turn.language)))


class ActionAssociationInfo(InformationAction):
    """Talk to an association: national lines that listen and refer."""

    action_name = "action_association_info"
    body_msgid = N_("association.info")
    source_msgid = N_("association.info.source")
