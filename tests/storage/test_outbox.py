"""The generic outbox, on SQLite and PostgreSQL: written with its cause, claimed once, retried, held."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import HandoverRow, OutboxRow
from storage.outbox import DEAD, PENDING, SENT, Outbox, backoff

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
LEASE = timedelta(seconds=60)


@pytest.fixture
def owner(db_engine) -> int:
    """A stored request that owns the messages."""
    with Session(db_engine) as session, session.begin():
        session.execute(
            text("INSERT INTO associations (id, data, active, updated_at) VALUES ('first', '{}', true, :t)"),
            {"t": NOW},
        )
        row = HandoverRow(
            reference="ABC123", idempotency_key="k", pseudonym="p", association_id="first", tried="first",
            level="anonymous", language="fr", departement="13", form="labour", minor=False,
            safe_times="any", status="waiting", paused=False, created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


@pytest.fixture
def outbox(cipher) -> Outbox:
    return Outbox(cipher, LEASE, max_attempts=2)


def add(session: Session, outbox: Outbox, owner: int, dedupe: str = "one", **options) -> OutboxRow:
    outbox.add(session, owner_id=owner, kind="request", target="group", association_id="first",
               dedupe=dedupe, now=NOW, **options)  # fmt: skip
    session.flush()
    return session.scalars(select(OutboxRow).order_by(OutboxRow.id.desc())).first()


def test_one_sender_claims_a_message_for_one_lease(db_engine, outbox, owner):
    with Session(db_engine) as session, session.begin():
        row = add(session, outbox, owner)
        assert outbox.claim(session, row.id, NOW, "a")
        assert not outbox.claim(session, row.id, NOW + LEASE / 2, "b"), (
            "another sender must wait for the lease"
        )
        assert outbox.claim(session, row.id, NOW + LEASE, "b"), "a sender that died leaves it to the next"
        session.refresh(row)
        assert row.attempts == 2


def test_the_same_message_cannot_be_written_twice(db_engine, outbox, owner):
    with Session(db_engine) as session, pytest.raises(IntegrityError), session.begin():
        add(session, outbox, owner, dedupe="same")
        add(session, outbox, owner, dedupe="same")


def test_the_body_is_encrypted_at_rest_and_forgotten_once_sent(db_engine, outbox, owner):
    with Session(db_engine) as session, session.begin():
        row = add(session, outbox, owner, body={"text": "see you at noon"})
        assert "noon" not in row.body and outbox.body_of(row) == {"text": "see you at noon"}
        outbox.mark_sent(row, NOW, chat_id=-100, message_id=7)
        assert (row.status, row.body, row.sent_message_id) == (SENT, None, 7)


def test_failures_back_off_then_the_message_is_set_aside(db_engine, outbox, owner):
    with Session(db_engine) as session, session.begin():
        row = add(session, outbox, owner, body={"text": "x"})
        assert outbox.claim(session, row.id, NOW, "a")
        session.refresh(row)
        assert not outbox.retry_or_drop(row, NOW)
        assert row.not_before == NOW + backoff(1) and row.status == PENDING
        assert outbox.claim(session, row.id, row.not_before, "a")
        session.refresh(row)
        assert outbox.retry_or_drop(row, NOW), "dropped after max_attempts"
        assert (row.status, row.body) == (DEAD, None)


def test_held_messages_wait_until_released_and_not_now_costs_no_attempt(db_engine, outbox, owner):
    with Session(db_engine) as session, session.begin():
        held = add(session, outbox, owner, dedupe="held", held=True)
        assert held.not_before is None and not outbox.claim(session, held.id, NOW + timedelta(days=1), "a")
        outbox.release(session, owner, "group", NOW)
        session.refresh(held)
        assert held.not_before == NOW and outbox.claim(session, held.id, NOW, "a")
        session.refresh(held)
        outbox.wait(held, NOW + timedelta(hours=8))
        assert held.attempts == 0 and held.not_before == NOW + timedelta(hours=8)
        outbox.hold(session, owner, "group")
        session.refresh(held)
        assert held.not_before is None


def test_cancelling_drops_only_what_was_not_sent(db_engine, outbox, owner):
    with Session(db_engine) as session, session.begin():
        sent = add(session, outbox, owner, dedupe="sent")
        outbox.mark_sent(sent, NOW, chat_id=-100, message_id=1)
        pending = add(session, outbox, owner, dedupe="pending", body={"text": "x"})
        outbox.cancel_pending(session, owner)
        session.refresh(sent)
        session.refresh(pending)
        assert (sent.status, pending.status, pending.body) == (SENT, DEAD, None)
        assert [row.id for row in outbox.sent_rows(session, owner, "request", "first")] == [sent.id]


def test_a_sender_whose_lease_ran_out_cannot_send_or_record_over_the_next_one(db_engine, outbox, owner):
    """Audit M12: a slow round outlasts its lease while a second sender claims the same row."""
    with Session(db_engine) as session, session.begin():
        row = add(session, outbox, owner)
        assert outbox.claim(session, row.id, NOW, "slow")
        assert outbox.renew(session, row.id, NOW + LEASE / 2, "slow"), "within its lease, it may send"
        later = NOW + LEASE / 2 + LEASE
        assert not outbox.renew(session, row.id, later, "slow"), "an expired lease is not renewed"
        assert outbox.claim(session, row.id, later, "next")
        assert not outbox.renew(session, row.id, later, "slow"), "the row is the next sender's now"
        assert outbox.renew(session, row.id, later, "next")
        session.refresh(row)
        assert row.claimed_by == "next"
        assert outbox.holds(row, "next") and not outbox.holds(row, "slow")
