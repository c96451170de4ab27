"""Where the engine keeps each conversation's state: one opaque (already encrypted) blob per
conversation, dropped after `ttl` idle seconds, and deleted for real on request.

Three places, chosen by CONVERSATION_STORE:
- `DatabaseState`: a row in our database (SQLite by default, PostgreSQL when configured), so that
  a restart loses nothing without any extra server. On SQLite a deletion also empties the write-
  ahead log, so that the deleted bytes do not linger in it (`secure_delete` zeroes the main file).
- `RedisState`: a key with Redis's own expiry, for several engines sharing one store.
- `MemoryState`: process memory, for tests and throwaway runs; a restart forgets everything.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from core.clock import Clock, utc_now
from storage.models import ConversationStateRow

EXPIRY_SWEEP_SECONDS = 60.0  # how often at most idle conversations are swept from a database


class StateBackend(Protocol):
    """A key-value place for conversation blobs with idle expiry and true deletion."""

    def read(self, conversation: str) -> str | None:
        """The blob, or None when there is none or it has expired."""

    def write(self, conversation: str, blob: str) -> None:
        """Store the blob, replacing any earlier one, and restart its idle time."""

    def delete(self, conversation: str) -> bool:
        """Remove the conversation; True when there was one."""

    def conversations(self) -> list[str]:
        """The conversations held and not expired."""


class MemoryState:
    """Blobs in process memory."""

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._blobs: dict[str, tuple[str, float]] = {}

    def _expire(self) -> None:
        now = self._clock()
        for key in [k for k, (_, at) in self._blobs.items() if now - at > self._ttl]:
            del self._blobs[key]

    def read(self, conversation: str) -> str | None:
        """The blob, unless it expired."""
        self._expire()
        entry = self._blobs.get(conversation)
        return entry[0] if entry else None

    def write(self, conversation: str, blob: str) -> None:
        """Keep the blob from now."""
        self._expire()
        self._blobs[conversation] = (blob, self._clock())

    def delete(self, conversation: str) -> bool:
        """Forget it."""
        return self._blobs.pop(conversation, None) is not None

    def conversations(self) -> list[str]:
        """The conversations still held."""
        self._expire()
        return list(self._blobs)


class DatabaseState:
    """Blobs in the `conversation_state` table of our database."""

    def __init__(self, engine: Engine, ttl_seconds: float, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._ttl = timedelta(seconds=ttl_seconds)
        self._clock = clock
        self._swept_at: datetime | None = None

    def _oldest_kept(self) -> datetime:
        return self._clock() - self._ttl

    def read(self, conversation: str) -> str | None:
        """The blob, unless it has been idle too long (it is then deleted)."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(ConversationStateRow.state, ConversationStateRow.saved_at).where(
                    ConversationStateRow.conversation == conversation
                )
            ).first()
        if row is None:
            return None
        if row.saved_at < self._oldest_kept():
            self.delete(conversation)
            return None
        return str(row.state)

    def write(self, conversation: str, blob: str) -> None:
        """Insert or replace the row, in one statement (two engines may save at once)."""
        now = self._clock()
        insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        row = {"conversation": conversation, "state": blob, "saved_at": now}
        statement: Any = insert(ConversationStateRow).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=[ConversationStateRow.conversation],
            set_={"state": statement.excluded.state, "saved_at": statement.excluded.saved_at},
        )
        with self._engine.begin() as connection:
            connection.execute(statement)
        self._sweep(now)

    def delete(self, conversation: str) -> bool:
        """Delete the row, then leave no copy of it in SQLite's write-ahead log."""
        with self._engine.begin() as connection:
            deleted = connection.execute(
                delete(ConversationStateRow).where(ConversationStateRow.conversation == conversation)
            ).rowcount
        self._empty_write_ahead_log()
        return bool(deleted)

    def conversations(self) -> list[str]:
        """The conversations saved within the idle time."""
        query = select(ConversationStateRow.conversation).where(
            ConversationStateRow.saved_at >= self._oldest_kept()
        )
        with self._engine.connect() as connection:
            return [str(key) for key in connection.scalars(query)]

    def expire(self) -> int:
        """Delete every conversation idle for too long; how many went."""
        with self._engine.begin() as connection:
            gone = connection.execute(
                delete(ConversationStateRow).where(ConversationStateRow.saved_at < self._oldest_kept())
            ).rowcount
        if gone:
            self._empty_write_ahead_log()
        return int(gone)

    def _sweep(self, now: datetime) -> None:
        """Expire idle conversations, at most once a minute."""
        if self._swept_at is None or (now - self._swept_at).total_seconds() >= EXPIRY_SWEEP_SECONDS:
            self._swept_at = now
            self.expire()

    def _empty_write_ahead_log(self) -> None:
        """Copy SQLite's log into the (zeroing) main file and truncate it; best effort when busy."""
        if self._engine.dialect.name == "sqlite":
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class RedisState:
    """Blobs under `prefix` + conversation in Redis, each with Redis's expiry."""

    def __init__(self, client: Any, ttl_seconds: float, prefix: str = "conversation:") -> None:
        self._redis = client
        self._ttl = max(int(ttl_seconds), 1)
        self._prefix = prefix

    def read(self, conversation: str) -> str | None:
        """The blob, unless Redis expired it."""
        blob = self._redis.get(self._prefix + conversation)
        return blob.decode("ascii") if isinstance(blob, bytes) else blob

    def write(self, conversation: str, blob: str) -> None:
        """Set the key with a fresh expiry."""
        self._redis.set(self._prefix + conversation, blob, ex=self._ttl)

    def delete(self, conversation: str) -> bool:
        """Delete the key."""
        return bool(self._redis.delete(self._prefix + conversation))

    def conversations(self) -> list[str]:
        """The conversations held (a SCAN, never a blocking KEYS)."""
        start = len(self._prefix)
        return [
            (key.decode("ascii") if isinstance(key, bytes) else key)[start:]
            for key in self._redis.scan_iter(match=self._prefix + "*", count=500)
        ]
