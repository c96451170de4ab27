"""Handover requests and their outbox: every change and the messages it causes commit together.

States of a request (core/request_states.py): waiting (in an association's inbox, no answer yet)
→ accepted → in contact → closed with an outcome; waiting → waiting at the next association
(declined or no answer in time); → unmatched (nobody left); any open state → withdrawn. The
association works in its inbox; its Telegram group, if it has one, only gets notices without
personal data. Personal fields, relayed messages and notes are encrypted, and are erased on
withdrawal and `retention` after a request closes.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.fernet import InvalidToken
from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import safe_times
from core.clock import Clock, utc_now
from core.handover import OPEN_STATUSES, RELAY_LEVELS, TAKEN_STATUSES, Draft, RequestStatus
from core.handover_messages import Kind, Target
from core.request_states import FINAL, OUTCOMES, RequestEvent, allowed, next_status
from storage.crypto import FieldCipher
from storage.models import AuditRow, HandoverRow, InboxNoteRow, OutboxRow, RelayMessageRow
from storage.outbox import PENDING, Outbox, dedupe_key

WAITING, ACCEPTED = RequestStatus.WAITING, RequestStatus.ACCEPTED
CLOSED, WITHDRAWN, UNMATCHED = RequestStatus.CLOSED, RequestStatus.WITHDRAWN, RequestStatus.UNMATCHED
OPEN_STATES = tuple(OPEN_STATUSES)
TAKEN_STATES = tuple(TAKEN_STATUSES)
FROM_PERSON, TO_PERSON = "from_person", "to_person"  # directions of a relayed message
TELEGRAM = "telegram"  # the channel of requests stored before channels were recorded
GROUP, PERSON = Target.GROUP, Target.PERSON
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
logger = logging.getLogger(__name__)

# Picks the next association for a request, given the ids already tried; None when nobody is left.
NextAssociation = Callable[[HandoverRow, set[str]], "str | None"]


@dataclass(frozen=True)
class Created:
    """The outcome of a submission: the request, and whether this call created it."""

    reference: str
    association_id: str
    created: bool


@dataclass(frozen=True)
class RequestView:
    """What the person may see of one of their requests."""

    reference: str
    association_id: str | None
    status: RequestStatus
    paused: bool


@dataclass(frozen=True)
class OutboxItem:
    """One message to deliver, with what is needed to render it."""

    id: int
    kind: Kind
    target: Target
    pseudonym: str
    attempts: int
    association_id: str | None
    reference: str
    language: str
    level: str
    safe_times: str
    draft: Draft | None  # the request's fields, for its notice (only the routing ones are shown)
    chat_id: int | str | None  # the person's chat, for a message to the person
    body: dict | None
    answer_due_at: datetime | None = None
    channel: str = TELEGRAM  # the person's channel, for a message to the person


@dataclass(frozen=True)
class Policy:
    """Delays that the operator can configure."""

    answer_delay: timedelta = timedelta(hours=24)
    retention: timedelta = timedelta(days=30)
    max_attempts: int = 12
    lease: timedelta = timedelta(seconds=60)


class Handovers:
    """Create, answer, withdraw and deliver handover requests."""

    def __init__(
        self,
        engine: Engine,
        cipher: FieldCipher,
        next_association: NextAssociation,
        policy: Policy | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._engine = engine
        self._cipher = cipher
        self._next = next_association
        self.policy = policy or Policy()
        self._now = clock
        self._outbox = Outbox(cipher, self.policy.lease, self.policy.max_attempts)
        self.claimant = secrets.token_hex(8)  # this sender's name on its outbox claims (audit M12)

    # --- the person's side -------------------------------------------------------------

    def create(self, pseudonym: str, draft: Draft, idempotency_key: str) -> Created:
        """Store the request and its delivery in one transaction; a repeated key creates nothing."""
        existing = self._by_key(idempotency_key)
        if existing is not None:
            return Created(existing.reference, existing.association_id or "", created=False)
        try:
            with self._transaction() as session:
                row = self._new_row(pseudonym, draft, idempotency_key)
                session.add(row)
                session.flush()
                self._queue_request(session, row, draft.association_id)
                return Created(row.reference, draft.association_id, created=True)
        except IntegrityError:  # the same submission raced in from a second tap
            existing = self._by_key(idempotency_key)
            if existing is None:
                raise
            return Created(existing.reference, existing.association_id or "", created=False)

    def find(self, idempotency_key: str) -> Created | None:
        """The request stored under this key, if any."""
        row = self._by_key(idempotency_key)
        return Created(row.reference, row.association_id or "", created=False) if row else None

    def attach_chat(
        self, pseudonym: str, chat_id: int | str, channel: str = TELEGRAM, *, session: Session | None = None
    ) -> int:
        """Remember, encrypted, where (which chat, on which channel) to tell the person about their
        open requests."""
        with self._transaction(session) as session:
            rows = session.scalars(self._open_of(pseudonym).where(HandoverRow.chat_ref.is_(None))).all()
            for row in rows:
                row.chat_ref, row.channel = self._cipher.encrypt(str(chat_id)), channel
                if not row.paused:  # a notice that came before its chat was known waits no longer
                    self._release_person_messages(session, row, self._now())
            return len(rows)

    def requests_of(self, pseudonym: str) -> list[RequestView]:
        """The person's open requests and those closed in the last retention period."""
        recent = self._now() - self.policy.retention
        query = select(HandoverRow).where(
            HandoverRow.pseudonym == pseudonym,
            or_(HandoverRow.closed_at.is_(None), HandoverRow.closed_at > recent),
        )
        with self._transaction() as session:
            rows = session.scalars(query.order_by(HandoverRow.id)).all()
            return [_view(row) for row in rows]

    def withdraw(self, pseudonym: str) -> int:
        """Withdraw every open request: erase the personal fields and tell the association."""
        now = self._now()
        with self._transaction() as session:
            rows = session.scalars(self._open_of(pseudonym)).all()
            for row in rows:
                delivered = self._cancel_pending(session, row)
                if delivered:
                    self._queue(session, row, Kind.WITHDRAWN, GROUP, row.association_id, dedupe="withdrawn")
                self._redact_copies(session, row)
                self._audit(session, "withdrawn", row, actor=None)
                _move(row, RequestEvent.WITHDRAW, now)
                row.outcome = "withdrawn"
                self._erase(session, row, now)
            return len(rows)

    def pause(self, pseudonym: str, *, session: Session | None = None) -> int:
        """After a quick exit: the association must not contact the person until they write again."""
        with self._transaction(session) as session:
            rows = session.scalars(self._open_of(pseudonym).where(HandoverRow.paused.is_(False))).all()
            for row in rows:
                row.paused, row.reply_open_until, row.updated_at = True, None, self._now()
                self._hold_person_messages(session, row)
                if self._was_delivered(session, row):
                    paused = _unique("paused")
                    self._queue(session, row, Kind.PAUSED, GROUP, row.association_id, dedupe=paused)
            return len(rows)

    def person_wrote(self, pseudonym: str, *, session: Session | None = None) -> int:
        """The person wrote: lift a pause and release messages held for this moment."""
        now = self._now()
        with self._transaction(session) as session:
            rows = session.scalars(self._open_of(pseudonym)).all()
            for row in rows:
                if row.paused:
                    row.paused, row.updated_at = False, now
                    if self._was_delivered(session, row):
                        self._queue(
                            session, row, Kind.RESUMED, GROUP, row.association_id, dedupe=_unique("resumed")
                        )
                self._release_person_messages(session, row, now)
            return len(rows)

    def open_reply(
        self, pseudonym: str, minutes: int = 15, *, session: Session | None = None
    ) -> str | None:
        """The person will answer the association: their next text is relayed. Returns the reference."""
        with self._transaction(session) as session:
            row = self._relay_request_of(session, pseudonym)
            if row is None:
                return None
            row.reply_open_until = self._now() + timedelta(minutes=minutes)
            return row.reference

    def close_reply(self, pseudonym: str, *, session: Session | None = None) -> None:
        """The person's next text must not be relayed (it held danger words): close the window."""
        with self._transaction(session) as session:
            query = self._open_of(pseudonym).where(HandoverRow.reply_open_until.is_not(None))
            for row in session.scalars(query):
                row.reply_open_until = None

    def has_open(self, pseudonym: str, *, session: Session | None = None) -> bool:
        """True when the person has a request waiting or accepted."""
        with self._transaction(session) as session:
            return bool(session.scalar(select(exists(self._open_of(pseudonym).subquery().select()))))

    def take_reply(self, pseudonym: str, text: str, *, session: Session | None = None) -> str | None:
        """Relay the person's text if they asked to answer; returns the reference, else None."""
        now = self._now()
        with self._transaction(session) as session:
            row = self._relay_request_of(session, pseudonym)
            if row is None or row.reply_open_until is None or row.reply_open_until < now:
                return None
            row.reply_open_until = None
            self._add_relayed(session, row, FROM_PERSON, text, account_id=None)
            self._queue(session, row, Kind.RELAY, GROUP, row.association_id, dedupe=_unique("r"))
            return row.reference

    # --- the association's side --------------------------------------------------------

    def answer(
        self, reference: str, association_id: str, actor: str, accept: bool, account_id: int | None = None
    ) -> str:
        """Accept (the account holds it) or decline: 'accepted', 'declined', 'late' or 'unknown'."""
        now = self._now()
        with self._transaction() as session:
            row = session.scalar(select(HandoverRow).where(HandoverRow.reference == reference))
            if row is None:
                return "unknown"
            if not allowed(row.status, RequestEvent.ACCEPT) or row.association_id != association_id:
                return "late"
            self._audit(session, "accepted" if accept else "declined", row, actor)
            if accept:
                _move(row, RequestEvent.ACCEPT, now)
                row.answer_due_at, row.holder_account_id = None, account_id
                self._queue_to_person(session, row, Kind.ACCEPTED)
                return "accepted"
            self._pass_on(session, row)
            return "declined"

    def contact_made(self, reference: str, association_id: str, actor: str) -> bool:
        """The association has reached the person: the request is "in contact"."""
        with self._transaction() as session:
            row = self._of_association(session, reference, association_id)
            if row is None or not allowed(row.status, RequestEvent.CONTACT):
                return False
            _move(row, RequestEvent.CONTACT, self._now())
            self._audit(session, "in_contact", row, actor)
            return True

    def reply(self, reference: str, association_id: str, account_id: int, text: str) -> str:
        """The association answers the person through the relay: 'queued', 'not_relayable' or
        'unknown'. The words reach the person through the outbox, within their safe times."""
        with self._transaction() as session:
            row = self._of_association(session, reference, association_id)
            if row is None:
                return "unknown"
            if row.level not in RELAY_LEVELS or row.status not in TAKEN_STATES or not text.strip():
                return "not_relayable"
            self._add_relayed(session, row, TO_PERSON, text, account_id)
            self._queue_to_person(session, row, Kind.RELAY, body={"text": text})
            self._audit(session, "relayed", row, actor=f"inbox:{account_id}")
            return "queued"

    def level_of(self, reference: str) -> str | None:
        """The level of a request, or None."""
        with self._transaction() as session:
            return session.scalar(select(HandoverRow.level).where(HandoverRow.reference == reference))

    def close(self, reference: str, association_id: str, actor: str, outcome: str) -> bool:
        """The association has followed up: the request closes with an outcome and retention starts."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        now = self._now()
        with self._transaction() as session:
            row = self._of_association(session, reference, association_id)
            if row is None or not allowed(row.status, RequestEvent.CLOSE):
                return False
            _move(row, RequestEvent.CLOSE, now)
            row.outcome, row.reply_open_until = outcome, None
            self._redact_copies(session, row)
            self._audit(session, "closed", row, actor)
            return True

    # --- time-driven work --------------------------------------------------------------

    def expire_unanswered(self, now: datetime | None = None) -> int:
        """Requests nobody answered in time go to the next association."""
        now = now or self._now()
        with self._transaction() as session:
            query = select(HandoverRow).where(HandoverRow.status == WAITING, HandoverRow.answer_due_at < now)
            rows = session.scalars(query).all()
            for row in rows:
                self._queue(session, row, Kind.TIMED_OUT, GROUP, row.association_id, dedupe=_unique("t"))
                self._audit(session, "timed_out", row, actor=None)
                self._pass_on(session, row)
            return len(rows)

    def apply_retention(self, now: datetime | None = None) -> int:
        """Erase the personal fields of requests closed longer than the retention period."""
        now = now or self._now()
        cutoff = now - self.policy.retention
        query = select(HandoverRow).where(
            HandoverRow.closed_at.is_not(None),
            HandoverRow.closed_at < cutoff,
            HandoverRow.erased_at.is_(None),
        )
        with self._transaction() as session:
            rows = session.scalars(query).all()
            for row in rows:
                self._redact_copies(session, row)
                self._erase(session, row, now)
            return len(rows)

    # --- delivery ----------------------------------------------------------------------

    def due(
        self,
        now: datetime | None = None,
        limit: int = 50,
        channels: tuple[str, ...] = (TELEGRAM,),
        groups: bool = True,
    ) -> list[OutboxItem]:
        """Claim up to `limit` due messages for a lease, so that one sender handles each: messages
        to people of these channels, and group notices when `groups`.

        Nothing goes to a person whose request is paused (after a quick exit), whatever its time.
        """
        now = now or self._now()
        channel = func.coalesce(HandoverRow.channel, TELEGRAM)
        to_people = and_(OutboxRow.target == PERSON, HandoverRow.paused.is_(False), channel.in_(channels))
        wanted = or_(OutboxRow.target == GROUP, to_people) if groups else to_people
        query = (
            select(OutboxRow.id)
            .join(HandoverRow, HandoverRow.id == OutboxRow.handover_id)
            .where(
                OutboxRow.status == PENDING,
                OutboxRow.not_before.is_not(None),
                OutboxRow.not_before <= now,
                wanted,
            )
            .order_by(OutboxRow.not_before, OutboxRow.id)
            .limit(limit)
        )
        with self._transaction() as session:
            ids = list(session.scalars(query))
            claimed = [i for i in ids if self._outbox.claim(session, i, now, self.claimant)]
            items = [self._item(session, session.get(OutboxRow, i)) for i in claimed]
            return [item for item in items if item is not None]

    def deliverable(self, item_id: int, *, session: Session | None = None) -> bool:
        """Checked again just before sending to a person: still pending under this sender's lease
        (renewed), and the request not paused."""
        with self._transaction(session) as session:
            if not self._outbox.renew(session, item_id, self._now(), self.claimant):
                return False
            row = session.get(OutboxRow, item_id)
            handover = session.get(HandoverRow, row.handover_id) if row else None
            return bool(row and handover and not handover.paused)

    def still_claimed(self, item_id: int) -> bool:
        """Just before posting a notice: the lease is still this sender's (renewed)."""
        with self._transaction() as session:
            return self._outbox.renew(session, item_id, self._now(), self.claimant)

    def mark_sent(
        self,
        item_id: int,
        chat_id: int | None = None,
        message_id: int | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        """Delivered: forget the relayed words."""
        now = self._now()
        with self._transaction(session) as session:
            row = session.get(OutboxRow, item_id)
            self._outbox.mark_sent(row, now, chat_id, message_id)
            if row.kind == Kind.REQUEST:
                handover = session.get(HandoverRow, row.handover_id)
                if handover.status == WAITING and handover.association_id == row.association_id:
                    if handover.paused:  # a quick exit came while it was on the way: tell them now
                        dedupe = _unique("paused")
                        self._queue(session, handover, Kind.PAUSED, GROUP, row.association_id, dedupe=dedupe)
                else:  # it left this association while its copy was on the way: redact that copy at once
                    self._redact_copy(session, handover, row)

    def mark_failed(self, item_id: int) -> bool:
        """Retry later with backoff; after too many tries give up. True if dropped.

        A group notice that never arrives loses nothing: the request is in the inbox, and moves on
        if nobody answers it in time."""
        now = self._now()
        with self._transaction() as session:
            row = session.get(OutboxRow, item_id)
            if not self._outbox.holds(row, self.claimant):  # another sender took it over
                return False
            return self._outbox.retry_or_drop(row, now)

    def skip_notice(self, item_id: int) -> None:
        """The association has no group: there is nobody to notify there."""
        with self._transaction() as session:
            self._outbox.drop(session.get(OutboxRow, item_id))

    def mark_not_now(self, item_id: int, not_before: datetime | None) -> None:
        """Outside the person's safe times (or paused): wait, without counting an attempt."""
        with self._transaction() as session:
            row = session.get(OutboxRow, item_id)
            if self._outbox.holds(row, self.claimant):
                self._outbox.wait(row, not_before)

    # --- internals ---------------------------------------------------------------------

    @contextmanager
    def _transaction(self, session: Session | None = None) -> Iterator[Session]:
        """The caller's session (its transaction), or a new one committed on success."""
        if session is not None:
            yield session
            return
        with Session(self._engine, future=True, expire_on_commit=False) as own, own.begin():
            yield own

    def _by_key(self, idempotency_key: str) -> HandoverRow | None:
        with self._transaction() as session:
            return session.scalar(select(HandoverRow).where(HandoverRow.idempotency_key == idempotency_key))

    def _new_row(self, pseudonym: str, draft: Draft, idempotency_key: str) -> HandoverRow:
        now = self._now()
        personal = draft.personal()
        return HandoverRow(
            reference="".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6)),
            idempotency_key=idempotency_key,
            pseudonym=pseudonym,
            level=draft.level,
            language=draft.language,
            departement=draft.departement,
            form=draft.form,
            minor=draft.minor,
            needs=",".join(draft.needs),
            association_id=draft.association_id,
            tried=draft.association_id,
            status=WAITING,
            paused=False,
            safe_times=draft.times,
            personal=self._cipher.encrypt(json.dumps({**personal, "by_worker": draft.by_worker})),
            created_at=now,
            updated_at=now,
        )

    @staticmethod
    def _open_of(pseudonym: str) -> Any:
        return select(HandoverRow).where(
            HandoverRow.pseudonym == pseudonym, HandoverRow.status.in_(OPEN_STATES)
        )

    def _relay_request_of(self, session: Session, pseudonym: str) -> HandoverRow | None:
        query = self._open_of(pseudonym).where(
            HandoverRow.status.in_(TAKEN_STATES), HandoverRow.level.in_(RELAY_LEVELS)
        )
        return session.scalars(query.order_by(HandoverRow.id.desc())).first()

    def _queue(
        self,
        session: Session,
        row: HandoverRow,
        kind: Kind,
        target: Target,
        association_id: str | None,
        *,
        dedupe: str,
        body: dict | None = None,
        not_before: datetime | None = None,
        held: bool = False,
    ) -> None:
        self._outbox.add(
            session,
            owner_id=row.id,
            kind=Kind(kind).value,
            target=target,
            association_id=association_id,
            dedupe=dedupe,
            now=self._now(),
            body=body,
            not_before=not_before,
            held=held,  # until the person writes
        )

    def _queue_request(self, session: Session, row: HandoverRow, association_id: str) -> None:
        """The request is in the association's inbox now; its group, if any, gets a notice."""
        row.answer_due_at = self._now() + self.policy.answer_delay
        self._queue(session, row, Kind.REQUEST, GROUP, association_id, dedupe="request")

    def _queue_to_person(
        self, session: Session, row: HandoverRow, kind: Kind, body: dict | None = None
    ) -> None:
        """A message to the person, held outside their safe times and while paused."""
        when = None if row.paused else safe_times.next_allowed(row.safe_times, self._now())
        self._queue(
            session,
            row,
            kind,
            PERSON,
            row.association_id,
            dedupe=_unique(kind),
            body=body,
            not_before=when,
            held=when is None,
        )

    def _pass_on(self, session: Session, row: HandoverRow) -> None:
        """Give the request to the next association, or close it when nobody is left."""
        tried = set(filter(None, row.tried.split(",")))
        following = self._next(row, tried)
        self._redact_copies(session, row)  # the association it leaves keeps no personal detail
        row.answer_due_at = None
        if following is None:
            _move(row, RequestEvent.NOBODY_LEFT, self._now())
            self._queue_to_person(session, row, Kind.UNMATCHED)
            return
        _move(row, RequestEvent.PASS_ON, self._now())
        row.association_id, row.tried = following, ",".join([*sorted(tried), following])
        self._queue_request(session, row, following)
        self._queue_to_person(session, row, Kind.PASSED_ON)

    def _redact_copies(self, session: Session, row: HandoverRow) -> None:
        """Queue the edit of every copy of the request posted in a group: personal details removed."""
        # copies posted to other associations were redacted when the request left them
        for copy in self._outbox.sent_rows(session, row.id, Kind.REQUEST.value, row.association_id):
            self._redact_copy(session, row, copy)

    def _redact_copy(self, session: Session, row: HandoverRow, copy: OutboxRow) -> None:
        """Queue the edit of one posted copy, once."""
        if copy.sent_message_id is None:
            return
        dedupe = f"redact:{copy.id}"
        if self._outbox.has(session, dedupe_key(row.id, Kind.REDACT.value, copy.association_id, dedupe)):
            return
        where = {"chat": copy.sent_chat_id, "message": copy.sent_message_id}
        self._queue(session, row, Kind.REDACT, GROUP, copy.association_id, dedupe=dedupe, body=where)

    def _was_delivered(self, session: Session, row: HandoverRow) -> bool:
        return bool(self._outbox.sent_rows(session, row.id, Kind.REQUEST.value, row.association_id))

    def _cancel_pending(self, session: Session, row: HandoverRow) -> bool:
        """Drop undelivered messages of a request; True when its association already received it."""
        self._outbox.cancel_pending(session, row.id)
        return self._was_delivered(session, row)

    def _hold_person_messages(self, session: Session, row: HandoverRow) -> None:
        self._outbox.hold(session, row.id, PERSON)

    def _release_person_messages(self, session: Session, row: HandoverRow, now: datetime) -> None:
        """The person is here now: what waited for them may go (within their safe times)."""
        when = safe_times.next_allowed(row.safe_times, now) or now
        self._outbox.release(session, row.id, PERSON, when)

    def _item(self, session: Session, row: OutboxRow) -> OutboxItem | None:
        """What to send; a row that cannot be decrypted is set aside (dead) instead of blocking the rest."""
        handover = session.get(HandoverRow, row.handover_id)
        try:
            return self._readable_item(row, handover)
        except InvalidToken:
            logger.error("an outbox row could not be decrypted (wrong or rotated DATA_KEY)")
            self._outbox.drop(row)
            return None

    def _readable_item(self, row: OutboxRow, handover: HandoverRow) -> OutboxItem:
        personal = json.loads(self._cipher.decrypt(handover.personal)) if handover.personal else {}
        channel = handover.channel or TELEGRAM
        return OutboxItem(
            id=row.id,
            kind=Kind(row.kind),
            target=Target(row.target),
            pseudonym=handover.pseudonym,
            attempts=row.attempts,
            association_id=row.association_id,
            reference=handover.reference,
            language=handover.language,
            level=handover.level,
            safe_times=handover.safe_times,
            draft=draft_of(handover, personal) if row.kind == Kind.REQUEST else None,
            chat_id=_chat(self._cipher.decrypt(handover.chat_ref), channel) if handover.chat_ref else None,
            body=self._outbox.body_of(row),
            answer_due_at=handover.answer_due_at,
            channel=channel,
        )

    def _audit(self, session: Session, action: str, row: HandoverRow, actor: str | None) -> None:
        session.add(
            AuditRow(
                at=self._now(),
                action=action,
                association_id=row.association_id,
                handover_id=row.id,
                actor=actor,
            )
        )

    @staticmethod
    def _erase(session: Session, row: HandoverRow, now: datetime) -> None:
        """Erase what identifies the person or what anyone wrote about them; the counts stay."""
        row.personal, row.chat_ref, row.reply_open_until, row.erased_at = None, None, None, now
        row.next_contact_on = None
        session.execute(delete(RelayMessageRow).where(RelayMessageRow.handover_id == row.id))
        session.execute(delete(InboxNoteRow).where(InboxNoteRow.handover_id == row.id))

    def _add_relayed(
        self, session: Session, row: HandoverRow, direction: str, text: str, account_id: int | None
    ) -> None:
        """Keep a relayed message, encrypted, for the inbox's thread."""
        session.add(
            RelayMessageRow(
                handover_id=row.id,
                direction=direction,
                account_id=account_id,
                at=self._now(),
                text=self._cipher.encrypt(text),
            )
        )

    @staticmethod
    def _of_association(session: Session, reference: str, association_id: str) -> HandoverRow | None:
        """The request with this reference, if it is this association's now."""
        row = session.scalar(select(HandoverRow).where(HandoverRow.reference == reference))
        return row if row is not None and row.association_id == association_id else None


def _move(row: HandoverRow, event: RequestEvent, now: datetime) -> None:
    """Change a request's status as the table of moves says (refused otherwise); a final status
    starts the retention period."""
    row.status = next_status(row.status, event)
    row.updated_at = now
    if row.status in FINAL:
        row.closed_at = now


def draft_of(row: HandoverRow, personal: dict) -> Draft:
    """The consented fields of a stored request, as the person saw them on the consent screen."""
    return Draft(
        association_id=row.association_id or "",
        level=row.level,
        language=row.language,
        departement=row.departement,
        form=row.form,
        minor=bool(row.minor),
        needs=tuple(filter(None, row.needs.split(","))),
        alias=personal.get("alias"),
        contact=personal.get("contact"),
        phone=personal.get("phone"),
        times=row.safe_times,
        code=personal.get("code"),
        message=personal.get("message"),
        by_worker=bool(personal.get("by_worker")),
    )


def _view(row: HandoverRow) -> RequestView:
    return RequestView(row.reference, row.association_id, RequestStatus(row.status), row.paused)


def _unique(prefix: str) -> str:
    return f"{prefix}:{secrets.token_hex(6)}"


def _chat(stored: str, channel: str) -> int | str:
    """A Telegram chat is a number; other channels' chats are opaque strings."""
    return int(stored) if channel == TELEGRAM else stored
