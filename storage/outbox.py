"""A transactional outbox: messages written in the same transaction as the change that causes them,
then delivered by one sender each (a claim with a lease), retried with backoff, or set aside.

It knows rows, not requests: what a message means for a handover request (an answer deadline, a
request passed on) is decided by storage.handovers, which owns the rows through `owner_id`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.crypto import FieldCipher
from storage.models import OutboxRow

PENDING, SENT, DEAD = "pending", "sent", "dead"  # delivery states of a row


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 15 s doubling, at most one hour."""
    return timedelta(seconds=min(15 * 2 ** max(attempts - 1, 0), 3600))


def dedupe_key(owner_id: int, kind: str, association_id: str | None, dedupe: str) -> str:
    """The unique key that stops the same message from being written twice."""
    return f"{owner_id}:{kind}:{association_id or '-'}:{dedupe}"


class Outbox:
    """The rows of messages to deliver, inside the caller's transaction."""

    def __init__(self, cipher: FieldCipher, lease: timedelta, max_attempts: int) -> None:
        self._cipher = cipher
        self._lease = lease
        self._max_attempts = max_attempts

    # --- writing ---------------------------------------------------------------------------

    def add(
        self,
        session: Session,
        *,
        owner_id: int,
        kind: str,
        target: str,
        association_id: str | None,
        dedupe: str,
        now: datetime,
        body: dict | None = None,
        not_before: datetime | None = None,
        held: bool = False,
    ) -> None:
        """Write a message; `held` keeps it until `release` (the person writes again)."""
        session.add(
            OutboxRow(
                handover_id=owner_id,
                dedupe_key=dedupe_key(owner_id, kind, association_id, dedupe),
                kind=kind,
                target=target,
                association_id=association_id,
                body=self._cipher.encrypt(json.dumps(body)) if body else None,
                status=PENDING,
                attempts=0,
                not_before=None if held else (not_before or now),
                created_at=now,
            )
        )

    @staticmethod
    def has(session: Session, key: str) -> bool:
        """True when a message with this dedupe key was already written."""
        return session.scalar(select(OutboxRow.id).where(OutboxRow.dedupe_key == key)) is not None

    # --- delivering ------------------------------------------------------------------------

    def claim(self, session: Session, item_id: int, now: datetime, claimant: str) -> bool:
        """Take a due message for one lease, counting an attempt; False when another sender has it."""
        claimed = session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == item_id, OutboxRow.status == PENDING, OutboxRow.not_before <= now)
            .values(not_before=now + self._lease, attempts=OutboxRow.attempts + 1, claimed_by=claimant)
        )
        return claimed.rowcount == 1

    def renew(self, session: Session, item_id: int, now: datetime, claimant: str) -> bool:
        """Just before sending: extend the lease, if it is still this claimant's and not expired
        (once expired, another sender may have claimed it: sending too would deliver it twice)."""
        renewed = session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == item_id,
                OutboxRow.status == PENDING,
                OutboxRow.claimed_by == claimant,
                OutboxRow.not_before > now,
            )
            .values(not_before=now + self._lease)
        )
        return renewed.rowcount == 1

    @staticmethod
    def holds(row: OutboxRow | None, claimant: str) -> bool:
        """The row is pending under this claimant's claim (a failure is its to record)."""
        return row is not None and row.status == PENDING and row.claimed_by == claimant

    @staticmethod
    def mark_sent(row: OutboxRow, now: datetime, chat_id: int | None, message_id: int | None) -> None:
        """Delivered: the body (relayed words) is forgotten; where it was posted is kept for edits."""
        row.status, row.sent_at, row.body = SENT, now, None
        row.sent_chat_id, row.sent_message_id = chat_id, message_id

    def retry_or_drop(self, row: OutboxRow, now: datetime) -> bool:
        """After a failure: try again later with backoff, or drop it after too many tries (True)."""
        if row.attempts < self._max_attempts:
            row.not_before = now + backoff(row.attempts)
            return False
        self.drop(row)
        return True

    @staticmethod
    def drop(row: OutboxRow) -> None:
        """Set a message aside for good, without its body."""
        row.status, row.body = DEAD, None

    @staticmethod
    def wait(row: OutboxRow, not_before: datetime | None) -> None:
        """Not now (outside the person's safe times, or held): later, without counting an attempt."""
        row.not_before, row.attempts = not_before, max(row.attempts - 1, 0)

    def body_of(self, row: OutboxRow) -> dict | None:
        """The decrypted body (InvalidToken when the key does not open it)."""
        return json.loads(self._cipher.decrypt(row.body)) if row.body else None

    # --- the messages of one owner ---------------------------------------------------------

    @staticmethod
    def cancel_pending(session: Session, owner_id: int) -> None:
        """Drop every undelivered message of an owner, bodies included."""
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.handover_id == owner_id, OutboxRow.status == PENDING)
            .values(status=DEAD, body=None)
        )

    @staticmethod
    def hold(session: Session, owner_id: int, target: str) -> None:
        """Keep an owner's undelivered messages to a target until `release`."""
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.handover_id == owner_id, OutboxRow.status == PENDING, OutboxRow.target == target)
            .values(not_before=None)
        )

    @staticmethod
    def release(session: Session, owner_id: int, target: str, when: datetime) -> None:
        """Let an owner's held messages to a target go from `when`."""
        session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.handover_id == owner_id,
                OutboxRow.status == PENDING,
                OutboxRow.target == target,
                OutboxRow.not_before.is_(None),
            )
            .values(not_before=when)
        )

    @staticmethod
    def sent_rows(session: Session, owner_id: int, kind: str, association_id: str | None) -> list[OutboxRow]:
        """An owner's messages of a kind already delivered to an association."""
        query = select(OutboxRow).where(
            OutboxRow.handover_id == owner_id,
            OutboxRow.kind == kind,
            OutboxRow.association_id == association_id,
            OutboxRow.status == SENT,
        )
        return list(session.scalars(query.order_by(OutboxRow.id)))
