import os

from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from app.config import REPO_ROOT
from rasa_components.tracker_store import ExpiringInMemoryTrackerStore


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def tracker(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [UserUttered("a marker text")])


async def test_conversations_expire_after_idle_time():
    clock = Clock()
    store = ExpiringInMemoryTrackerStore(Domain.empty(), record_exp="60", clock=clock)
    await store.save(tracker("a"))
    clock.now = 30
    await store.save(tracker("b"))
    assert await store.retrieve("a") is not None
    clock.now = 70
    assert await store.retrieve("a") is None
    assert list(await store.keys()) == ["b"]
    assert "a marker text" not in str(store.store.get("a", ""))
    clock.now = 200
    assert list(await store.keys()) == []


def test_endpoints_configure_the_expiring_store():
    os.environ["ACTION_ENDPOINT_URL"] = "http://127.0.0.1:1/webhook"
    os.environ["CONVERSATION_TTL_SECONDS"] = "120"
    endpoints = AvailableEndpoints.read_endpoints(str(REPO_ROOT / "endpoints.yml"))
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    assert isinstance(store, ExpiringInMemoryTrackerStore)
    assert store.record_exp == 120
