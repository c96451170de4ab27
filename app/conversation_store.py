"""The engine's conversation and lock stores, as CONVERSATION_STORE and REDIS_URL choose them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.shared.core.domain import Domain

from app.config import Settings
from rasa_components.tracker_store import ConversationStore
from storage.conversation_state import DatabaseState, MemoryState, RedisState, StateBackend
from storage.crypto import FieldCipher
from storage.database import make_engine, migrate


def conversation_store(settings: Settings) -> ConversationStore:
    """The encrypted, expiring, truly deleting store of every conversation."""
    return ConversationStore(
        Domain.empty(),  # the agent sets its own domain once the model is loaded
        backend=state_backend(settings),
        cipher=FieldCipher(settings.data_key),
    )


def state_backend(settings: Settings) -> StateBackend:
    """Where the blobs go: our database, Redis, or this process's memory."""
    ttl = settings.conversation_ttl_seconds
    if settings.conversation_store == "redis":
        return RedisState(redis_client(settings.redis_url), ttl)
    if settings.conversation_store == "memory":
        return MemoryState(ttl)
    migrate(settings.database_url)
    return DatabaseState(make_engine(settings.database_url), ttl)


def lock_store(settings: Settings) -> LockStore | None:
    """Rasa's Redis lock store when conversations are shared in Redis (several engines); else
    None, Rasa's in-memory locks, right for one engine."""
    if settings.conversation_store != "redis":
        return None
    address = urlparse(settings.redis_url)
    database = int(address.path.strip("/") or 0)
    return RedisLockStore(
        host=address.hostname or "127.0.0.1",
        port=address.port or 6379,
        db=database,
        password=address.password,
        use_ssl=address.scheme == "rediss",
        key_prefix="locks",
    )


def redis_client(url: str) -> Any:
    """A Redis client for REDIS_URL."""
    import redis

    return redis.Redis.from_url(url)
