"""Inbox sessions and access log on SQLite and PostgreSQL: idle time-out, logout everywhere, CSRF."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from core.keyed_hash import KeyedHasher
from storage.inbox_sessions import IDLE_TIMEOUT, MAX_AGE, InboxSessions, Who
from storage.models import InboxAccountRow
from tests.support.clock import ManualClock

START = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def accounts(db_engine) -> dict[str, int]:
    """Two accounts of two associations."""
    ids = {}
    with Session(db_engine) as session, session.begin():
        for association in ("first", "second"):
            session.execute(
                text("INSERT INTO associations (id, data, active, updated_at) VALUES (:i, '{}', true, :t)"),
                {"i": association, "t": START},
            )
            row = InboxAccountRow(association_id=association, role="coordinator", login_hash=association * 8,
                                  name="x", failed_logins=0, locked=False, created_at=START)  # fmt: skip
            session.add(row)
            session.flush()
            ids[association] = row.id
    return ids


@pytest.fixture
def sessions(db_engine, clock) -> InboxSessions:
    return InboxSessions(db_engine, KeyedHasher("k" * 32), clock)


def test_a_session_lives_while_used_and_ends_after_idle_time(sessions, accounts, clock):
    opened = sessions.open(accounts["first"])
    assert sessions.check(opened.token) == Who(accounts["first"], "first", "coordinator")
    clock.now += IDLE_TIMEOUT - timedelta(seconds=1)
    assert sessions.check(opened.token) is not None, "each use starts the idle time again"
    clock.now += IDLE_TIMEOUT + timedelta(seconds=1)
    assert sessions.check(opened.token) is None
    assert sessions.check(opened.token) is None, "and it stays ended"


def test_a_session_ends_after_its_maximum_age_even_when_used(sessions, accounts, clock):
    opened = sessions.open(accounts["first"])
    while clock.now - START < MAX_AGE:
        assert sessions.check(opened.token) is not None
        clock.now += IDLE_TIMEOUT / 2
    clock.now += timedelta(seconds=1)
    assert sessions.check(opened.token) is None


def test_logout_and_logout_everywhere(sessions, accounts):
    phone, laptop = sessions.open(accounts["first"]), sessions.open(accounts["first"])
    other = sessions.open(accounts["second"])
    sessions.close(phone.token)
    assert sessions.check(phone.token) is None and sessions.check(laptop.token) is not None
    assert sessions.close_all(accounts["first"]) == 1, "the laptop's"
    assert sessions.check(laptop.token) is None
    assert sessions.check(other.token) is not None, "another account keeps its sessions"


def test_a_form_needs_the_token_of_its_own_session(sessions, accounts):
    mine, theirs = sessions.open(accounts["first"]), sessions.open(accounts["second"])
    assert sessions.csrf_ok(mine.token, mine.csrf)
    assert not sessions.csrf_ok(mine.token, None)
    assert not sessions.csrf_ok(mine.token, theirs.csrf)
    assert not sessions.csrf_ok("unknown", mine.csrf)


def test_a_locked_account_loses_its_sessions(sessions, accounts, db_engine):
    opened = sessions.open(accounts["first"])
    with db_engine.begin() as connection:
        connection.execute(text("UPDATE inbox_accounts SET locked = true"))
    assert sessions.check(opened.token) is None


def test_the_access_log_is_per_association_and_holds_no_personal_data(sessions, accounts, db_engine):
    first = Who(accounts["first"], "first", "coordinator")
    second = Who(accounts["second"], "second", "coordinator")
    sessions.record(first, "view", "ABC123")
    sessions.record(second, "list")
    sessions.record(first, "accept", "ABC123")
    assert [(line.action, line.reference) for line in sessions.access_log("first")] == [
        ("accept", "ABC123"), ("view", "ABC123")
    ]  # fmt: skip
    with pytest.raises(ValueError, match="unknown inbox action"):
        sessions.record(first, "read the message of Camille")
    with db_engine.connect() as connection:
        columns = list(connection.execute(text("SELECT * FROM inbox_access_log")).keys())
    assert columns == ["id", "at", "association_id", "account_id", "action", "reference"]


def test_tokens_are_stored_as_keyed_hashes_only(sessions, accounts, db_engine):
    opened = sessions.open(accounts["first"])
    with db_engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM inbox_sessions"))
        stored = " ".join(str(value) for row in rows for value in row)
    assert opened.token not in stored and opened.csrf not in stored
