"""The message ledger on SQLite and PostgreSQL: records, deletion times, forgetting and purging."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.crypto import FieldCipher
from storage.message_ledger import LedgerEntry, MessageLedger
from storage.models import LedgerRow

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
PARIS_SUMMER = timezone(timedelta(hours=2))


def rows_of(engine, pseudonym: str) -> list[LedgerRow]:
    """The raw rows of one person, by message id."""
    with Session(engine, future=True) as session:
        query = select(LedgerRow).where(LedgerRow.pseudonym == pseudonym).order_by(LedgerRow.message_id)
        return list(session.scalars(query))


def test_record_and_messages_of_round_trip(ledger, person):
    other = uuid.uuid4().hex
    ledger.record(person, 123456789, 12, None)
    ledger.record(person, 123456789, 10, NOW)
    ledger.record(other, -1001234567890, 10, NOW)
    assert ledger.messages_of(person) == [
        LedgerEntry(person, 123456789, 10),
        LedgerEntry(person, 123456789, 12),
    ]
    assert ledger.messages_of(other) == [LedgerEntry(other, -1001234567890, 10)]
    assert ledger.messages_of(uuid.uuid4().hex) == []


def test_chat_id_is_stored_encrypted(ledger, db_engine, cipher, person):
    ledger.record(person, 123456789, 1, None)
    [row] = rows_of(db_engine, person)
    assert "123456789" not in row.chat_ref
    assert cipher.decrypt(row.chat_ref) == "123456789"


def test_datetimes_read_back_aware_in_utc(ledger, db_engine, person):
    recorded = datetime(2025, 6, 1, 14, 0, tzinfo=PARIS_SUMMER)
    ledger.record(person, 1, 1, recorded + timedelta(hours=1), recorded_at=recorded)
    [row] = rows_of(db_engine, person)
    assert row.recorded_at == NOW and row.recorded_at.tzinfo == timezone.utc
    assert row.delete_after == NOW + timedelta(hours=1) and row.delete_after.tzinfo == timezone.utc


def test_recorded_at_defaults_to_now(ledger, db_engine, person):
    before = datetime.now(timezone.utc)
    ledger.record(person, 1, 1, None)
    [row] = rows_of(db_engine, person)
    assert before - timedelta(seconds=1) <= row.recorded_at <= datetime.now(timezone.utc)


def test_naive_datetimes_are_refused(ledger, person):
    with pytest.raises(ValueError):
        ledger.record(person, 1, 1, datetime(2025, 6, 1, 12, 0))
    with pytest.raises(ValueError):
        ledger.due(datetime(2025, 6, 1, 12, 0))
    assert ledger.messages_of(person) == []


def test_record_is_idempotent_and_updates_delete_after(ledger, db_engine, person):
    ledger.record(person, 42, 7, None, recorded_at=NOW - timedelta(hours=1))
    ledger.record(person, 42, 7, NOW, recorded_at=NOW)
    [row] = rows_of(db_engine, person)
    assert row.delete_after == NOW
    assert row.recorded_at == NOW - timedelta(hours=1)  # the first recording time is kept
    assert ledger.due(NOW) == [LedgerEntry(person, 42, 7)]

    ledger.record(person, 42, 7, None)
    assert ledger.due(NOW + timedelta(days=1)) == []
    with Session(db_engine, future=True) as session:
        assert session.scalar(select(func.count()).select_from(LedgerRow)) == 1


def test_due_returns_the_oldest_first_and_honours_the_limit(ledger, person):
    other = uuid.uuid4().hex
    ledger.record(person, 1, 1, NOW - timedelta(minutes=1))
    ledger.record(other, 2, 2, NOW - timedelta(hours=2))
    ledger.record(person, 1, 3, NOW)  # exactly now: due
    ledger.record(person, 1, 4, NOW + timedelta(seconds=1))  # not yet
    ledger.record(person, 1, 5, None)  # never
    ledger.record(other, 2, 6, datetime(2025, 6, 1, 13, 30, tzinfo=PARIS_SUMMER))  # 11:30 UTC
    assert ledger.due(NOW) == [
        LedgerEntry(other, 2, 2),
        LedgerEntry(other, 2, 6),
        LedgerEntry(person, 1, 1),
        LedgerEntry(person, 1, 3),
    ]
    assert ledger.due(NOW, limit=2) == [LedgerEntry(other, 2, 2), LedgerEntry(other, 2, 6)]
    assert ledger.due(NOW, limit=0) == []
    assert ledger.due(NOW.astimezone(PARIS_SUMMER)) == ledger.due(NOW)


def test_forget_everything_of_a_person(ledger, person):
    other = uuid.uuid4().hex
    for message_id in (1, 2, 3):
        ledger.record(person, 5, message_id, None)
    ledger.record(other, 6, 1, None)
    assert ledger.forget(person) == 3
    assert ledger.messages_of(person) == []
    assert ledger.messages_of(other) == [LedgerEntry(other, 6, 1)]
    assert ledger.forget(person) == 0


def test_forget_some_messages(ledger, person):
    for message_id in (1, 2, 3, 4):
        ledger.record(person, 5, message_id, None)
    assert ledger.forget(person, iter([2, 4, 4, 99])) == 2
    assert [entry.message_id for entry in ledger.messages_of(person)] == [1, 3]
    assert ledger.forget(person, []) == 0  # an empty selection forgets nothing
    assert len(ledger.messages_of(person)) == 2


def test_forget_many_messages_in_batches(ledger, person):
    for message_id in range(1, 1201):
        ledger.record(person, 5, message_id, None)
    assert ledger.forget(person, range(1, 1101)) == 1100
    assert len(ledger.messages_of(person)) == 100


def test_forget_entries(ledger, person):
    other = uuid.uuid4().hex
    ledger.record(person, 5, 1, NOW)
    ledger.record(person, 5, 2, NOW)
    ledger.record(other, 6, 1, NOW)
    ledger.record(other, 6, 2, NOW)
    due = ledger.due(NOW)
    done = [entry for entry in due if entry.message_id == 1]
    assert ledger.forget_entries(done) == 2
    assert ledger.forget_entries(done) == 0
    assert ledger.forget_entries([]) == 0
    assert ledger.due(NOW) == [LedgerEntry(person, 5, 2), LedgerEntry(other, 6, 2)]


def test_set_delete_after_for_all(ledger, person):
    other = uuid.uuid4().hex
    ledger.record(person, 5, 1, None)
    ledger.record(person, 5, 2, NOW + timedelta(days=1))
    ledger.record(other, 6, 1, None)
    assert ledger.set_delete_after_for_all(person, NOW) == 2
    assert ledger.due(NOW) == [LedgerEntry(person, 5, 1), LedgerEntry(person, 5, 2)]
    assert ledger.set_delete_after_for_all(person, None) == 2
    assert ledger.due(NOW + timedelta(days=30)) == []
    assert ledger.set_delete_after_for_all(uuid.uuid4().hex, NOW) == 0


def test_purge_recorded_before(ledger, person):
    ledger.record(person, 5, 1, None, recorded_at=NOW - timedelta(hours=49))
    ledger.record(person, 5, 2, NOW, recorded_at=NOW - timedelta(hours=48))
    ledger.record(person, 5, 3, None, recorded_at=NOW)
    assert ledger.purge_recorded_before(NOW - timedelta(hours=48)) == 1
    assert [entry.message_id for entry in ledger.messages_of(person)] == [2, 3]
    assert ledger.purge_recorded_before(NOW + timedelta(seconds=1)) == 2
    assert ledger.messages_of(person) == []


def test_ledger_survives_a_restart(database, db_engine, person):
    MessageLedger(db_engine, FieldCipher("restart-secret-0123456789")).record(person, 77, 1, NOW)
    db_engine.dispose()
    engine = database.engine()
    try:
        assert MessageLedger(engine, FieldCipher("restart-secret-0123456789")).due(NOW) == [
            LedgerEntry(person, 77, 1)
        ]
        # A row this key cannot read is skipped, never fatal: one bad row must not stop every erasure.
        assert MessageLedger(engine, FieldCipher("another-secret-0123456789")).messages_of(person) == []
    finally:
        engine.dispose()


def test_an_unreadable_row_does_not_hide_the_others(ledger, db_engine, cipher, person):
    ledger.record(person, 5, 1, NOW)
    ledger.record(person, 5, 2, NOW)
    with db_engine.begin() as connection:
        connection.execute(
            LedgerRow.__table__.update().where(LedgerRow.message_id == 1).values(chat_ref="not-a-token")
        )
    assert ledger.due(NOW) == [LedgerEntry(person, 5, 2)]


def test_concurrent_records_of_one_message_keep_one_row(ledger, db_engine, person):
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda hours: ledger.record(person, 5, 1, NOW + timedelta(hours=hours)), range(16)))
    [row] = rows_of(db_engine, person)
    assert NOW <= row.delete_after <= NOW + timedelta(hours=15)
