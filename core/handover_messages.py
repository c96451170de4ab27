"""What the outbox delivers: messages to an association's group and notices to the person.

Group buttons carry `hq:<verb>:<reference>`; the bot handles them itself, never the engine.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Protocol

from core import handover, payloads
from core.common_screens import back_to_menu, emergency_text
from core.handover import Draft, shared_lines
from core.i18n import tr
from core.screens import Button, Screen


class Target(str, Enum):
    """Who an outbox message is for."""

    GROUP = "group"  # the association's group
    PERSON = "person"  # the person, in their chat


class Kind(str, Enum):
    """What an outbox message says; each names its catalog entry (handover.group.* / handover.person.*)."""

    REQUEST = "request"  # a new request, to the group
    RELAY = "relay"  # words relayed, either way
    ACCEPTED = "accepted"  # to the person: the association accepted
    PASSED_ON = "passed_on"  # to the person: the request went to the next association
    UNMATCHED = "unmatched"  # to the person: nobody left to ask
    WITHDRAWN = "withdrawn"  # to the group: the person withdrew
    PAUSED = "paused"  # to the group: do not contact the person (a quick exit)
    RESUMED = "resumed"  # to the group: the person wrote again
    TIMED_OUT = "timed_out"  # to the group: no answer in time, passed on
    REDACT = "redacted"  # an edit: the group's copy of the request loses its personal details


GROUP_PREFIX = "hq:"
ACCEPT, DECLINE, CLOSE = "a", "d", "c"
REPLY_PAYLOAD = "/handover_reply"  # the person answers the association; handled by the bot


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


def group_button(verb: str, reference: str) -> str:
    return f"{GROUP_PREFIX}{verb}:{reference}"


def parse_group_button(data: str) -> tuple[str, str] | None:
    """(verb, reference) of a group button, or None."""
    parts = data.split(":")
    if len(parts) != 3 or f"{parts[0]}:" != GROUP_PREFIX or parts[1] not in (ACCEPT, DECLINE, CLOSE):
        return None
    return parts[1], parts[2]


def group_screen(item: Deliverable, language: str, departement_name: str | None) -> Screen:
    """The message posted in the association's group (or, to redact a copy, its new text)."""
    if item.kind == Kind.REDACT:
        return Screen(tr(language, "handover.group.redacted", reference=item.reference), language)
    if item.kind == Kind.REQUEST and item.draft is not None:
        return request_screen(item.reference, item.draft, language, departement_name)
    body = (item.body or {}).get("text", "")
    text = tr(language, f"handover.group.{Kind(item.kind).value}", reference=item.reference, text=body)
    return Screen(text, language)


def request_screen(reference: str, draft: Draft, language: str, departement_name: str | None) -> Screen:
    """A new request: only the consented fields, with Accept and Decline."""
    lines = [tr(language, "handover.group.request", reference=reference), ""]
    lines += shared_lines(language, draft, departement_name)
    lines += ["", tr(language, f"handover.group.how.{draft.level}")]
    buttons = (
        Button(tr(language, "handover.group.button.accept"), group_button(ACCEPT, reference)),
        Button(tr(language, "handover.group.button.decline"), group_button(DECLINE, reference)),
    )
    return Screen("\n".join(lines), language, buttons)


def accepted_markup_screen(reference: str, language: str, level: str) -> Screen:
    """The request message after Accept: what to do next, and a Close button."""
    text = tr(language, "handover.group.accepted", reference=reference)
    if level in handover.RELAY_LEVELS:
        text += "\n" + tr(language, "handover.group.reply_hint")
    return Screen(
        text, language, (Button(tr(language, "handover.group.button.close"), group_button(CLOSE, reference)),)
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
