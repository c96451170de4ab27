"""Inbox accounts for tests: an association becomes reachable once someone of it can log in."""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher

from core.clock import Clock, utc_now
from core.keyed_hash import KeyedHasher
from storage.crypto import FieldCipher
from storage.directory import Directory
from storage.inbox_accounts import InboxAccounts
from storage.stores import Stores

PASSWORD = "correct horse battery staple"
# Argon2 with its smallest costs: the tests check the flow, not the hashing strength.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


@dataclass(frozen=True)
class Account:
    """A set-up account and what its holder would type."""

    account_id: int
    login: str
    password: str
    secret: str
    recovery_codes: list[str]

    def code(self, clock: Clock = utc_now) -> str:
        """The authenticator app's code now."""
        return pyotp.TOTP(self.secret).at(clock())


def accounts_of(stores: Stores, data_key: str, hasher: KeyedHasher, clock: Clock = utc_now) -> InboxAccounts:
    """The accounts store on the same database and key as the other stores."""
    return InboxAccounts(stores.db, FieldCipher(data_key), hasher, clock, FAST_HASHER)


def ready_account(
    accounts: InboxAccounts,
    association_id: str,
    login: str | None = None,
    role: str = "coordinator",
    clock: Clock = utc_now,
) -> Account:
    """An account whose setup link was used: a password, a TOTP secret and recovery codes."""
    login = login or f"{association_id}-{role}"
    token = accounts.create(association_id, role, login, f"{role.title()} of {association_id}")
    setup = accounts.begin_setup(token)
    codes = accounts.complete_setup(token, PASSWORD, pyotp.TOTP(setup.secret).at(clock()))
    return Account(setup.account_id, login, PASSWORD, setup.secret, codes)


def make_reachable(stores: Stores, data_key: str, hasher: KeyedHasher, *associations: str) -> None:
    """Give each association a coordinator who has set up their account (idempotent)."""
    accounts = accounts_of(stores, data_key, hasher)
    for association_id in associations:
        if accounts.account_id_of(f"{association_id}-coordinator") is None:
            ready_account(accounts, association_id)


def enroll_group(directory: Directory, association_id: str, chat_id: int) -> None:
    """Enrol a notice group with a code and confirm it, as a coordinator would in the inbox."""
    directory.enroll(directory.new_enrollment_code(association_id), chat_id, "admin")
    directory.confirm_group(association_id, True, "inbox:test")
