"""A handover request: the fields a person may share, which ones each level sends, how they read.

The consent screen and the association's copy are rendered by the same function, so the person
sees exactly the fields that will be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from core import safe_times
from core.exploitation import OTHER
from core.i18n import tr
from core.languages import NATIVE_NAMES

CONTACT, CONFIDENTIAL, ANONYMOUS = "contact", "confidential", "anonymous"
LEVELS = (CONTACT, CONFIDENTIAL, ANONYMOUS)
CONTACT_MODES = ("chat", "phone", "in_person")
NEEDS = ("shelter", "papers", "health", "work", "leaving", "legal", "minor")
# Levels whose association may write back inside the chat, through the bot.
RELAY_LEVELS = (CONTACT, CONFIDENTIAL)
MAX_ALIAS, MAX_CODE, MAX_MESSAGE = 40, 60, 500


class RequestStatus(str, Enum):
    """Where a stored request stands (the values are those kept in the database)."""

    WAITING = "waiting"  # sent to an association, no answer yet
    ACCEPTED = "accepted"
    IN_CONTACT = "in_contact"  # the association has reached the person
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # by the person; the personal fields are erased
    UNMATCHED = "unmatched"  # no association left to ask


# Statuses in which the person can still withdraw the request (core.request_states holds the
# whole table of moves; a test checks that the two agree).
OPEN_STATUSES: frozenset[RequestStatus] = frozenset(
    {RequestStatus.WAITING, RequestStatus.ACCEPTED, RequestStatus.IN_CONTACT}
)
# Open statuses in which the association follows the request up (relay, notes, closing).
TAKEN_STATUSES: frozenset[RequestStatus] = frozenset({RequestStatus.ACCEPTED, RequestStatus.IN_CONTACT})

# The questions of the handover form, in order; `required_fields` picks those of a level.
ROUTING_FIELDS = ("departement", "minor", "form", "association", "level")
LEVEL_FIELDS: dict[str, tuple[str, ...]] = {
    CONTACT: ("alias", "contact", "phone", "times", "code", "needs", "message"),
    CONFIDENTIAL: ("alias", "times", "code", "needs", "message"),
    ANONYMOUS: ("needs",),
}


def required_fields(level: str | None, contact: str | None) -> list[str]:
    """The questions still to ask for this level; a phone number only when phone was chosen."""
    fields = list(ROUTING_FIELDS)
    for name in LEVEL_FIELDS.get(level or "", ()):
        if name != "phone" or contact == "phone":
            fields.append(name)
    return fields


@dataclass(frozen=True)
class Draft:
    """What the person agreed to share, before it is stored."""

    association_id: str
    level: str
    language: str
    departement: str | None = None
    form: str | None = None
    minor: bool = False
    needs: tuple[str, ...] = ()
    alias: str | None = None
    contact: str | None = None
    phone: str | None = None
    times: str = safe_times.ANY
    code: str | None = None
    message: str | None = None
    by_worker: bool = False

    def personal(self) -> dict[str, str]:
        """The personal fields the level allows, to be encrypted at rest."""
        allowed = LEVEL_FIELDS.get(self.level, ())
        values = {
            "alias": self.alias,
            "contact": self.contact,
            "phone": self.phone,
            "code": self.code,
            "message": self.message,
        }
        return {name: value for name, value in values.items() if name in allowed and value}


def _yes_no(language: str, value: bool) -> str:
    return tr(language, "handover.yes") if value else tr(language, "handover.no")


def _line(language: str, label: str, value: str) -> str:
    return tr(language, f"handover.field.{label}", value=value)


def _routing_lines(language: str, draft: Draft, departement_name: str | None) -> list[str]:
    """Fields every level sends: language, place, situation, age, needs."""
    place = f"{draft.departement} {departement_name or ''}".strip() if draft.departement else None
    needs = ", ".join(tr(language, f"handover.need.{need}") for need in draft.needs)
    lines = [
        _line(language, "level", tr(language, f"handover.level.{draft.level}.title")),
        _line(language, "language", NATIVE_NAMES.get(draft.language, draft.language)),
        _line(language, "departement", place or tr(language, "handover.not_given")),
        _line(language, "form", tr(language, f"handover.form.{draft.form or OTHER}")),
        _line(language, "minor", _yes_no(language, draft.minor)),
        _line(language, "needs", needs or tr(language, "handover.not_given")),
    ]
    if draft.by_worker:
        lines.append(tr(language, "handover.field.by_worker"))
    return lines


def _personal_lines(language: str, draft: Draft) -> list[str]:
    """Fields only the contact and confidential levels send."""
    if draft.level == ANONYMOUS:
        return []
    personal = draft.personal()
    lines = [_line(language, "alias", personal.get("alias") or tr(language, "handover.not_given"))]
    if draft.level == CONTACT and draft.contact:
        how = tr(language, f"handover.contact.{draft.contact}")
        lines.append(_line(language, "contact", f"{how} {personal.get('phone', '')}".strip()))
    lines.append(_line(language, "times", tr(language, f"handover.times.{draft.times}")))
    lines.append(_line(language, "code", personal.get("code") or tr(language, "handover.not_given")))
    if personal.get("message"):
        lines.append(_line(language, "message", personal["message"]))
    return lines


def shared_lines(language: str, draft: Draft, departement_name: str | None = None) -> list[str]:
    """Exactly what the association receives, one field per line, in the given language."""
    return _routing_lines(language, draft, departement_name) + _personal_lines(language, draft)
