"""The fast action layer: each action runs on a tracker built in `turns`, with no model and no network.

The handover stores are a temporary SQLite database, opened by `storage.stores.open_stores` and
handed to the actions by replacing `actions.stores.directory` and `actions.stores.handovers`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from actions import stores as action_stores
from core.keyed_hash import KeyedHasher
from storage.handovers import Policy
from storage.stores import Stores, open_stores
from tests.support.inbox import enroll_group, make_reachable

ENROLLED = {"ccem": -1001, "amicale_du_nid": -1002, "hors_la_rue": -1003}
SECRET = "action-layer-test-secret-0123456789"


def build_stores(path: Path, enrolled: dict[str, int]) -> Stores:
    """Stores on a new SQLite file, these associations reachable in the inbox, with a notice group."""
    found = open_stores(f"sqlite:///{path}", SECRET, KeyedHasher(SECRET), Policy())
    make_reachable(found, SECRET, KeyedHasher(SECRET), *enrolled)
    for association, group in enrolled.items():
        enroll_group(found.directory, association, group)
    return found


@pytest.fixture(scope="session")
def enrolled_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    """One database for the session, with three associations reachable."""
    found = build_stores(tmp_path_factory.mktemp("actions") / "assistant.db", ENROLLED)
    yield found
    found.db.dispose()


class Counted:
    """A store whose method calls are counted (to check that an action asks the database once)."""

    def __init__(self, target: object) -> None:
        self._target = target
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._target, name)
        if not callable(found):
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return found(*args, **kwargs)

        return counted


class ActionStores:
    """The stores the actions see, counted, on a real database."""

    def __init__(self, stores: Stores) -> None:
        self.real = stores
        self.directory = Counted(stores.directory)
        self.handovers = Counted(stores.handovers)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> ActionStores:
        """Hand these stores to the actions instead of the action server's runtime."""
        monkeypatch.setattr(action_stores, "directory", self._getter(self.directory))
        monkeypatch.setattr(action_stores, "handovers", self._getter(self.handovers))
        return self

    @staticmethod
    def _getter(store: Counted) -> Callable[[], Any]:
        return lambda: store


@pytest.fixture
def stores(enrolled_stores: Stores, monkeypatch: pytest.MonkeyPatch) -> ActionStores:
    """The actions use the session database (each test talks as its own person)."""
    return ActionStores(enrolled_stores).install(monkeypatch)


@pytest.fixture(scope="session")
def unenrolled_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    """One database for the session where no association has an enrolled group."""
    found = build_stores(tmp_path_factory.mktemp("actions") / "unenrolled.db", {})
    yield found
    found.db.dispose()


@pytest.fixture
def unreachable(unenrolled_stores: Stores, monkeypatch: pytest.MonkeyPatch) -> ActionStores:
    """The actions see a directory where no association can be reached."""
    return ActionStores(unenrolled_stores).install(monkeypatch)
