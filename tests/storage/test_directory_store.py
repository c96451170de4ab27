"""The live directory: seed import, admin changes, enrolment codes, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.directory import load_seed
from core.keyed_hash import KeyedHasher
from storage.directory import Directory, DirectoryError
from storage.inbox_accounts import InboxAccounts
from storage.models import AuditRow, EnrollmentCodeRow
from tests.support.inbox import FAST_HASHER, ready_account

KEY = "directory-test-key-0123456789"


@pytest.fixture
def directory(db_engine) -> Directory:
    found = Directory(db_engine, KeyedHasher(KEY))
    found.import_seed(load_seed())
    return found


def test_seed_import_adds_only_new_entries(directory):
    ccem = directory.get("ccem")
    directory.save(dataclasses.replace(ccem, name="CCEM (changed by an admin)"))
    assert directory.import_seed(load_seed()) == 0
    assert directory.get("ccem").name == "CCEM (changed by an admin)"
    assert len(directory.all()) == len(load_seed())


def test_only_active_associations_with_someone_in_the_inbox_are_reachable(directory, db_engine, cipher):
    assert directory.reachable() == []
    directory.enroll(directory.new_enrollment_code("ccem"), -100123, "member")
    directory.confirm_group("ccem", True, "inbox:1")
    assert directory.reachable() == [], "a group alone cannot answer a request"
    accounts = InboxAccounts(db_engine, cipher, KeyedHasher(KEY), password_hasher=FAST_HASHER)
    accounts.create("ccem", "coordinator", "not-set-up", "Someone")
    assert directory.reachable() == [], "nobody has used their setup link yet"
    ready = ready_account(accounts, "ccem")
    assert [a.id for a in directory.reachable()] == ["ccem"]
    for _ in range(10):
        accounts.login(ready.login, "wrong password", "000000")
    assert directory.reachable() == [], "the only account is locked"
    accounts.unlock(ready.account_id)
    directory.set_active("ccem", False)
    assert directory.reachable() == [] and directory.get("ccem").active is False
    with pytest.raises(DirectoryError):
        directory.set_active("nobody", True)


def test_a_group_gets_notices_only_once_a_coordinator_confirms_it(directory):
    directory.enroll(directory.new_enrollment_code("ccem"), -100124, "member")
    assert directory.group_waiting("ccem") and directory.group_of("ccem") is None
    assert directory.confirm_group("ccem", True, "inbox:1")
    assert directory.group_of("ccem") == -100124 and not directory.group_waiting("ccem")
    assert not directory.confirm_group("ccem", True, "inbox:1"), "nothing left to confirm"
    directory.enroll(directory.new_enrollment_code("ruelle"), -100125, "member")
    assert directory.confirm_group("ruelle", False, "inbox:2")
    assert directory.group_of("ruelle") is None and not directory.group_waiting("ruelle")


def test_a_code_works_once_and_binds_one_group(directory, db_engine):
    code = directory.new_enrollment_code("ruelle")
    assert directory.enroll(code.lower(), -1001, "member-a") == "ruelle"
    with pytest.raises(DirectoryError):
        directory.enroll(code, -1002, "member-b")
    directory.confirm_group("ruelle", True, "inbox:1")
    assert directory.group_of("ruelle") == -1001 and directory.association_of_group(-1001) == "ruelle"
    with db_engine.connect() as connection:
        stored = connection.execute(select(EnrollmentCodeRow.code_hash)).scalars().all()
        audit = connection.execute(select(AuditRow.action, AuditRow.actor)).all()
    assert code not in " ".join(stored)  # kept as a keyed hash only
    assert audit == [("enrolled", "member-a"), ("group_confirmed", "inbox:1")]


def test_expired_and_unknown_codes_are_refused(directory):
    code = directory.new_enrollment_code("ccem", valid_for=timedelta(seconds=-1))
    for attempt in (code, "NOTACODE42", ""):
        with pytest.raises(DirectoryError):
            directory.enroll(attempt, -5, "member")


def test_a_group_enrolled_again_moves_to_the_new_association(directory):
    directory.enroll(directory.new_enrollment_code("ccem"), -7, "member")
    directory.enroll(directory.new_enrollment_code("ruelle"), -7, "member")
    assert directory.group_of("ccem") is None and directory.association_of_group(-7) == "ruelle"
