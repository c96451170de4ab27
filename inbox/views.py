"""Store objects turned into what the templates show, in the inbox's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.handover import shared_lines
from core.i18n import tr
from core.languages import NATIVE_NAMES
from core.places import departement_name
from core.request_counts import OPEN, UNKNOWN, UNMATCHED
from storage.inbox_requests import RequestDetail, RequestLine, ThreadEntry

PARIS = ZoneInfo("Europe/Paris")


def when(moment: datetime | None) -> str:
    """A time as associations in France read it (Paris time)."""
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if moment else ""


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def place(code: str | None) -> str:
    if not code:
        return ""
    return f"{code} {departement_name(code) or ''}".strip()


@dataclass(frozen=True)
class LineView:
    """One row of the list."""

    reference: str
    status: str
    status_label: str
    level: str
    language: str
    place: str
    received: str
    due: str
    next_contact: str
    reminder: bool  # the next contact is today or past
    holder: str
    unread: int


def line_view(line: RequestLine, language: str, names: dict[int, str], today: date) -> LineView:
    return LineView(
        reference=line.reference,
        status=line.status.value,
        status_label=tr(language, f"inbox.status.{line.status.value}"),
        level=tr(language, f"handover.level.{line.level}.title"),
        language=NATIVE_NAMES.get(line.language, line.language),
        place=place(line.departement),
        received=when(line.created_at),
        due=when(line.answer_due_at),
        next_contact=day(line.next_contact_on),
        reminder=line.next_contact_on is not None and line.next_contact_on <= today,
        holder=names.get(line.holder_account_id or 0, ""),
        unread=line.unread,
    )


@dataclass(frozen=True)
class EntryView:
    at: str
    who: str
    text: str
    from_person: bool


def entry_views(entries: list[ThreadEntry], language: str, names: dict[int, str]) -> list[EntryView]:
    person = tr(language, "inbox.thread.person")
    return [
        EntryView(
            when(e.at), person if e.from_person else names.get(e.account_id or 0, ""), e.text, e.from_person
        )
        for e in entries
    ]


def shared_fields(detail: RequestDetail, language: str) -> list[str]:
    """Exactly the lines the person agreed to share (the consent screen's own rendering)."""
    return shared_lines(language, detail.draft, departement_name(detail.draft.departement or ""))


def category_label(dimension: str, category: str, language: str) -> str:
    """How a category of the counts reads in the inbox's language."""
    if dimension == "departement":
        return tr(language, "inbox.counts.unknown") if category == UNKNOWN else place(category)
    if dimension == "form":
        return tr(language, f"handover.form.{category}")
    if dimension == "age":
        return tr(language, f"inbox.counts.age.{category}")
    if dimension == "language":
        return NATIVE_NAMES.get(category, category)
    if dimension == "level":
        return tr(language, f"handover.level.{category}.title")
    if category == OPEN:
        return tr(language, "inbox.counts.open")
    if category == UNMATCHED:
        return tr(language, "inbox.status.unmatched")
    return tr(language, f"inbox.outcome.{category}")
