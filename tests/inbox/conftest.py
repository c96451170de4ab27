"""Inbox fixtures: the real web application over real stores (SQLite), on a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from core.keyed_hash import KeyedHasher
from inbox.services import InboxServices
from storage.handovers import Policy
from storage.stores import Stores, open_stores
from tests.support.clock import ManualClock
from tests.support.inbox import FAST_HASHER, Account, ready_account
from tests.support.inbox_client import InboxClient

SECRET = "inbox-page-tests-secret-0123456789"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc))


@pytest.fixture
def stores(tmp_path: Path, clock: ManualClock) -> Iterator[Stores]:
    found = open_stores(
        f"sqlite:///{tmp_path / 'inbox.db'}", SECRET, KeyedHasher(SECRET), Policy(), clock=clock
    )
    yield found
    found.db.dispose()


@pytest.fixture
def services(stores: Stores, clock: ManualClock) -> InboxServices:
    return InboxServices.from_stores(
        stores, SECRET, KeyedHasher(SECRET), "fr", False, clock=clock, password_hasher=FAST_HASHER
    )


@pytest.fixture
def coordinator(services: InboxServices, clock: ManualClock) -> Account:
    account = ready_account(services.accounts, "ccem", login="coord@ccem", clock=clock)
    clock.advance(seconds=30)  # the setup spent this half-minute's code
    return account


@pytest.fixture
async def browser(services: InboxServices) -> AsyncIterator[InboxClient]:
    async with InboxClient(services) as client:
        yield client
