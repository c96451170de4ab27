"""Inbox accounts on SQLite and PostgreSQL: one-time setup, password and TOTP, lock-out, secrets at rest."""

from __future__ import annotations

from datetime import datetime, timezone

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text

from core.keyed_hash import KeyedHasher
from storage.inbox_accounts import (
    MAX_FAILED_LOGINS,
    RECOVERY_CODES,
    AccountError,
    InboxAccounts,
    LoginOutcome,
)
from storage.models import InboxAccountRow, InboxSetupLinkRow
from tests.support.clock import ManualClock

START = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct horse battery staple"
LOGIN, NAME = "Camille.Martin@example.org", "Camille Martin"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def accounts(db_engine, cipher, clock) -> InboxAccounts:
    with db_engine.begin() as connection:
        for association in ("first", "second"):
            connection.execute(
                text("INSERT INTO associations (id, data, active, updated_at) VALUES (:i, '{}', true, :t)"),
                {"i": association, "t": START},
            )
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # Argon2id, quick for tests
    return InboxAccounts(db_engine, cipher, KeyedHasher("k" * 32), clock, cheap)


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def set_up(accounts: InboxAccounts, clock: ManualClock, login: str = LOGIN) -> tuple[str, list[str]]:
    """A coordinator account set up through its link: its TOTP secret and recovery codes."""
    token = accounts.create("first", "coordinator", login, NAME)
    setup = accounts.begin_setup(token)
    recovery = accounts.complete_setup(token, PASSWORD, code_at(setup.secret, clock()))
    clock.advance(seconds=30)  # the next code
    return setup.secret, recovery


def test_a_set_up_account_logs_in_with_password_and_a_fresh_code(accounts, clock):
    secret, recovery = set_up(accounts, clock)
    assert len(recovery) == RECOVERY_CODES
    login = accounts.login(LOGIN.upper() + " ", PASSWORD, code_at(secret, clock()))
    assert login.outcome is LoginOutcome.ACCEPTED
    assert (login.association_id, login.role) == ("first", "coordinator")
    assert accounts.name_of(login.account_id) == NAME


def test_a_code_is_accepted_once(accounts, clock):
    secret, _ = set_up(accounts, clock)
    code = code_at(secret, clock())
    assert accounts.login(LOGIN, PASSWORD, code).outcome is LoginOutcome.ACCEPTED
    assert accounts.login(LOGIN, PASSWORD, code).outcome is LoginOutcome.REFUSED, "a replayed code"


def test_a_recovery_code_replaces_the_phone_once(accounts, clock):
    _, recovery = set_up(accounts, clock)
    assert accounts.login(LOGIN, PASSWORD, recovery[0]).outcome is LoginOutcome.ACCEPTED
    assert accounts.login(LOGIN, PASSWORD, recovery[0]).outcome is LoginOutcome.REFUSED


def test_wrong_password_unknown_login_and_wrong_code_look_the_same(accounts, clock):
    secret, _ = set_up(accounts, clock)
    good = code_at(secret, clock())
    assert accounts.login(LOGIN, "wrong password!!", good).outcome is LoginOutcome.REFUSED
    assert accounts.login("nobody@example.org", PASSWORD, good).outcome is LoginOutcome.REFUSED
    assert accounts.login(LOGIN, PASSWORD, "000000").outcome is LoginOutcome.REFUSED


def test_the_tenth_failure_locks_the_account_until_a_coordinator_unlocks_it(accounts, clock, db_engine):
    secret, _ = set_up(accounts, clock)
    outcomes = [accounts.login(LOGIN, "wrong password!!", "000000").outcome for _ in range(MAX_FAILED_LOGINS)]
    assert outcomes[:-1] == [LoginOutcome.REFUSED] * (MAX_FAILED_LOGINS - 1)
    assert outcomes[-1] is LoginOutcome.LOCKED
    right = accounts.login(LOGIN, PASSWORD, code_at(secret, clock()))
    assert right.outcome is LoginOutcome.LOCKED, "even the right password waits for the unlock"
    assert accounts.unlock(stored_id(db_engine))
    clock.advance(seconds=30)
    assert accounts.login(LOGIN, PASSWORD, code_at(secret, clock())).outcome is LoginOutcome.ACCEPTED


def stored_id(db_engine) -> int:
    with db_engine.connect() as connection:
        return connection.execute(select(InboxAccountRow.id)).scalar_one()


def test_a_setup_link_works_once_and_expires(accounts, clock, db_engine):
    token = accounts.create("first", "member", LOGIN, NAME)
    clock.advance(hours=49)
    with pytest.raises(AccountError) as expired:
        accounts.begin_setup(token)
    assert expired.value.reason == "link_expired"
    token = accounts.new_setup_link(stored_id(db_engine))
    setup = accounts.begin_setup(token)
    with pytest.raises(AccountError) as wrong:
        accounts.complete_setup(token, PASSWORD, "000000")
    assert wrong.value.reason == "wrong_code", "a wrong first code loses nothing: the link still works"
    accounts.complete_setup(token, PASSWORD, code_at(setup.secret, clock()))
    with pytest.raises(AccountError) as used:
        accounts.begin_setup(token)
    assert used.value.reason == "link_unknown_or_used"


def test_a_short_password_an_unknown_role_and_a_taken_login_are_refused_clearly(accounts, clock):
    token = accounts.create("first", "member", LOGIN, NAME)
    accounts.begin_setup(token)
    with pytest.raises(AccountError, match="password_too_short"):
        accounts.complete_setup(token, "short", "000000")
    with pytest.raises(AccountError, match="unknown_role"):
        accounts.create("first", "admin", "other@example.org", NAME)
    with pytest.raises(AccountError, match="login_taken"):
        accounts.create("second", "member", " camille.martin@EXAMPLE.org", "Someone else")


def test_nothing_of_the_account_is_stored_in_clear(accounts, clock, db_engine):
    secret, recovery = set_up(accounts, clock)
    with db_engine.connect() as connection:
        stored = " ".join(
            str(value)
            for table in ("inbox_accounts", "inbox_setup_links", "inbox_recovery_codes")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
            for value in row
        )
    for secret_value in (LOGIN.casefold(), NAME, PASSWORD, secret, *recovery):
        assert secret_value not in stored
    assert "$argon2id$" in stored
    with db_engine.connect() as connection:
        assert connection.execute(select(InboxSetupLinkRow.used_at)).scalar_one() is not None
