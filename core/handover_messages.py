"""What the outbox delivers: notices to an association's group and messages to the person."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from core import payloads
from core.common_screens import back_to_menu, emergency_text
from core.handover import Draft
from core.i18n import tr
from core.languages import NATIVE_NAMES
from core.screens import Button, Screen


class Target(str, Enum):
    """Who an outbox message is for."""

    GROUP = "group"  # the association's group
    PERSON = "person"  # the person, in their chat


class Kind(str, Enum):
    """What an outbox message says; each names its catalog entry (handover.group.* / handover.person.*)."""

    REQUEST = "request"  # a new request, to the group (a notice with the inbox link)
    RELAY = "relay"  # words to the person; to the group, only a notice that the person wrote
    ACCEPTED = "accepted"  # to the person: the association accepted
    PASSED_ON = "passed_on"  # to the person: the request went to the next association
    UNMATCHED = "unmatched"  # to the person: nobody left to ask
    WITHDRAWN = "withdrawn"  # to the group: the person withdrew
    PAUSED = "paused"  # to the group: do not contact the person (a quick exit)
    RESUMED = "resumed"  # to the group: the person wrote again
    TIMED_OUT = "timed_out"  # to the group: no answer in time, passed on
    REDACT = "redacted"  # an edit: the group's copy of the request loses its personal details


GROUP_PREFIX = "hq:"  # buttons of request messages posted before the inbox; answered with its link
REPLY_PAYLOAD = "/handover_reply"  # the person answers the association; handled by the bot
PARIS = ZoneInfo("Europe/Paris")


class Deliverable(Protocol):
    """An outbox item as the renderer needs it (read only)."""

    @property
    def kind(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def draft(self) -> Draft | None: ...
    @property
    def body(self) -> dict[str, Any] | None: ...
    @property
    def answer_due_at(self) -> datetime | None: ...


def request_link(inbox_url: str, reference: str) -> str:
    """Where a request opens in the inbox (after login)."""
    return f"{inbox_url.rstrip('/')}/requests/{reference}"


def group_screen(item: Deliverable, language: str, departement_name: str | None, inbox_url: str) -> Screen:
    """A notice for the association's group: never a personal detail, and never the words the
    person wrote; the work happens in the inbox, which the notice links to."""
    link = request_link(inbox_url, item.reference)
    if item.kind == Kind.REDACT:
        return Screen(tr(language, "handover.group.redacted", reference=item.reference), language)
    if item.kind == Kind.REQUEST:
        return Screen(notice_text(item, language, departement_name, link), language)
    if item.kind == Kind.RELAY:
        return Screen(
            tr(language, "handover.group.new_message", reference=item.reference, link=link), language
        )
    return Screen(tr(language, f"handover.group.{Kind(item.kind).value}", reference=item.reference), language)


def notice_text(item: Deliverable, language: str, departement_name: str | None, link: str) -> str:
    """A new request: reference, département, language, level, deadline and the inbox link only."""
    code = item.draft.departement if item.draft else None
    place = f"{code} {departement_name or ''}".strip() if code else tr(language, "handover.not_given")
    due = item.answer_due_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if item.answer_due_at else "—"
    return tr(
        language,
        "handover.group.notice",
        reference=item.reference,
        departement=place,
        person_language=NATIVE_NAMES.get(item.language, item.language),
        level=tr(language, f"handover.level.{item.level}.title"),
        deadline=due,
        link=link,
    )


def person_screen(item: Deliverable, association_name: str) -> Screen:
    """A notice to the person, in their language, with a neutral first line."""
    language = item.language
    kind = Kind(item.kind).value
    text = tr(language, f"handover.person.{kind}", name=association_name, reference=item.reference)
    if item.kind == Kind.RELAY:
        text += "\n\n" + str((item.body or {}).get("text", ""))
        buttons = (Button(tr(language, "handover.button.reply"), REPLY_PAYLOAD), *back_to_menu(language))
        return Screen(text, language, buttons, protect=True)
    if item.kind == Kind.UNMATCHED:
        text += "\n\n" + emergency_text(language)
    buttons = (
        Button(tr(language, "handover.button.status"), payloads.make("handover_status")),
        *back_to_menu(language),
    )
    return Screen(text, language, buttons, protect=True)
