"""What the inbox pages need, built once from the settings: the stores and the page settings."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher

from core.clock import Clock, utc_now
from core.keyed_hash import KeyedHasher
from storage.crypto import FieldCipher
from storage.directory import Directory
from storage.handovers import Handovers
from storage.inbox_accounts import InboxAccounts
from storage.inbox_requests import InboxRequests
from storage.inbox_sessions import InboxSessions
from storage.stores import Stores


@dataclass(frozen=True)
class InboxServices:
    """The stores behind the inbox, and how its pages are served."""

    accounts: InboxAccounts
    sessions: InboxSessions
    requests: InboxRequests
    handovers: Handovers
    directory: Directory
    language: str  # of every page (the association language setting)
    secure_cookies: bool  # behind https
    clock: Clock = utc_now

    @classmethod
    def from_stores(
        cls,
        stores: Stores,
        data_key: str,
        hasher: KeyedHasher,
        language: str,
        secure_cookies: bool,
        clock: Clock = utc_now,
        password_hasher: PasswordHasher | None = None,
    ) -> InboxServices:
        """The inbox's view of a process's stores (one database, one cipher key)."""
        cipher = FieldCipher(data_key)
        return cls(
            accounts=InboxAccounts(stores.db, cipher, hasher, clock, password_hasher),
            sessions=InboxSessions(stores.db, hasher, clock),
            requests=InboxRequests(stores.db, cipher, clock),
            handovers=stores.handovers,
            directory=stores.directory,
            language=language,
            secure_cookies=secure_cookies,
            clock=clock,
        )
