"""What the association inbox reads of its requests, and the follow-up it writes beside them.

Changes of status and relayed answers go through `Handovers` (they queue messages in the same
transaction); this module lists an association's requests, opens one with its personal fields
decrypted, and keeps the follow-up notes and the next-contact date. No association ever reads
another's requests: every query is filtered on the association that holds the request now. Within
an association, a coordinator sees every request; a member sees the new ones (nobody holds them
yet) and those they hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from core.clock import Clock, utc_now
from core.handover import TAKEN_STATUSES, Draft, RequestStatus
from core.request_counts import CountRecord
from storage.crypto import FieldCipher
from storage.handovers import draft_of
from storage.inbox_sessions import Who
from storage.models import HandoverRow, InboxNoteRow, RelayMessageRow

MAX_NOTE = 2000
COORDINATOR = "coordinator"


@dataclass(frozen=True)
class RequestLine:
    """One row of the inbox list: no personal field."""

    reference: str
    status: RequestStatus
    level: str
    language: str
    departement: str | None
    created_at: datetime
    answer_due_at: datetime | None
    next_contact_on: date | None
    holder_account_id: int | None
    unread: int  # messages from the person since the association last wrote


@dataclass(frozen=True)
class ThreadEntry:
    """A relayed message or a note, decrypted for the detail page."""

    at: datetime
    account_id: int | None
    text: str
    from_person: bool = False


@dataclass(frozen=True)
class RequestDetail:
    """One request as its association sees it, personal fields decrypted."""

    line: RequestLine
    draft: Draft  # what the person agreed to share, as on their consent screen
    paused: bool
    outcome: str | None
    erased: bool
    thread: list[ThreadEntry]
    notes: list[ThreadEntry]


class InboxRequests:
    """An association's requests: the list, one request in full, notes and the next contact."""

    def __init__(self, engine: Engine, cipher: FieldCipher, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._cipher = cipher
        self._now = clock

    def lines(self, who: Who) -> list[RequestLine]:
        """The requests this account may see, newest first."""
        query = _scoped(select(HandoverRow), who).order_by(
            HandoverRow.created_at.desc(), HandoverRow.id.desc()
        )
        with Session(self._engine) as session:
            return [self._line(session, row) for row in session.scalars(query)]

    def visible(self, reference: str, who: Who) -> bool:
        """True when this account may open the request and act on it."""
        with Session(self._engine) as session:
            return self._row(session, reference, who) is not None

    def detail(self, reference: str, who: Who) -> RequestDetail | None:
        """One request with its personal fields, thread and notes; None when the account may not see it."""
        with Session(self._engine) as session:
            row = self._row(session, reference, who)
            if row is None:
                return None
            personal = json.loads(self._cipher.decrypt(row.personal)) if row.personal else {}
            return RequestDetail(
                line=self._line(session, row),
                draft=draft_of(row, personal),
                paused=bool(row.paused),
                outcome=row.outcome,
                erased=row.erased_at is not None,
                thread=self._thread(session, row.id),
                notes=self._notes(session, row.id),
            )

    def count_records(self, association_id: str) -> list[CountRecord]:
        """The fields the counts read, for every request the association holds (no personal field)."""
        columns = (
            HandoverRow.created_at, HandoverRow.departement, HandoverRow.form, HandoverRow.minor,
            HandoverRow.language, HandoverRow.level, HandoverRow.status, HandoverRow.outcome,
        )  # fmt: skip
        query = select(*columns).where(HandoverRow.association_id == association_id)
        with Session(self._engine) as session:
            return [CountRecord(*row) for row in session.execute(query)]

    def add_note(self, reference: str, who: Who, text: str) -> bool:
        """Keep a follow-up note, encrypted; refused when empty, too long or the request is over."""
        text = text.strip()
        if not text or len(text) > MAX_NOTE:
            return False
        with Session(self._engine) as session, session.begin():
            row = self._row(session, reference, who)
            if row is None or row.status not in TAKEN_STATUSES:
                return False
            session.add(
                InboxNoteRow(
                    handover_id=row.id,
                    account_id=who.account_id,
                    at=self._now(),
                    text=self._cipher.encrypt(text),
                )
            )
            return True

    def set_next_contact(self, reference: str, who: Who, when: date | None) -> bool:
        """Set or clear the next-contact reminder of a request being followed up."""
        with Session(self._engine) as session, session.begin():
            row = self._row(session, reference, who)
            if row is None or row.status not in TAKEN_STATUSES:
                return False
            row.next_contact_on = when
            return True

    # --- internals -------------------------------------------------------------------------

    @staticmethod
    def _row(session: Session, reference: str, who: Who) -> HandoverRow | None:
        return session.scalar(_scoped(select(HandoverRow).where(HandoverRow.reference == reference), who))

    @staticmethod
    def _line(session: Session, row: HandoverRow) -> RequestLine:
        return RequestLine(
            reference=row.reference,
            status=RequestStatus(row.status),
            level=row.level,
            language=row.language,
            departement=row.departement,
            created_at=row.created_at,
            answer_due_at=row.answer_due_at,
            next_contact_on=row.next_contact_on,
            holder_account_id=row.holder_account_id,
            unread=_unread(session, row.id),
        )

    def _thread(self, session: Session, handover_id: int) -> list[ThreadEntry]:
        query = (
            select(RelayMessageRow)
            .where(RelayMessageRow.handover_id == handover_id)
            .order_by(RelayMessageRow.at, RelayMessageRow.id)
        )
        return [
            ThreadEntry(
                row.at, row.account_id, self._cipher.decrypt(row.text), row.direction == "from_person"
            )
            for row in session.scalars(query)
        ]

    def _notes(self, session: Session, handover_id: int) -> list[ThreadEntry]:
        query = select(InboxNoteRow).where(InboxNoteRow.handover_id == handover_id).order_by(InboxNoteRow.id)
        return [
            ThreadEntry(row.at, row.account_id, self._cipher.decrypt(row.text))
            for row in session.scalars(query)
        ]


def _scoped(query: Select, who: Who) -> Select:
    """Only the account's association's requests; for a member, only new ones and their own."""
    query = query.where(HandoverRow.association_id == who.association_id)
    if who.role == COORDINATOR:
        return query
    return query.where(
        or_(HandoverRow.holder_account_id.is_(None), HandoverRow.holder_account_id == who.account_id)
    )


def _unread(session: Session, handover_id: int) -> int:
    """Messages from the person after the association's last answer."""
    last_answer = (
        select(func.max(RelayMessageRow.id))
        .where(RelayMessageRow.handover_id == handover_id, RelayMessageRow.direction == "to_person")
        .scalar_subquery()
    )
    query = select(func.count(RelayMessageRow.id)).where(
        RelayMessageRow.handover_id == handover_id,
        RelayMessageRow.direction == "from_person",
        RelayMessageRow.id > func.coalesce(last_answer, 0),
    )
    return int(session.scalar(query) or 0)
