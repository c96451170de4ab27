"""The flood limit shared by every bot instance through Redis, for replicas (issue 17): the same
sliding window as FloodGate, kept in a sorted set per person, on the wall clock of Redis's callers."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from bot.flood import Verdict

logger = logging.getLogger(__name__)


class SharedFloodGate:
    """Sliding-window limit of `max_messages` per `window_seconds` for each key, in Redis."""

    def __init__(
        self, client: Any, max_messages: int, window_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self._redis = client
        self._max = max_messages
        self._window = window_seconds
        self._clock = clock

    def check(self, key: str, arrival: str | None = None) -> Verdict:
        """Record an arrival and decide whether to process it (process when Redis fails). A message
        delivered again to any instance (the same `arrival` key) counts once."""
        now = self._clock()
        arrivals, warned = f"flood:{key}", f"flood-warned:{key}"
        expiry = max(int(self._window) + 1, 1)
        try:
            pipe = self._redis.pipeline()
            pipe.zremrangebyscore(arrivals, 0, now - self._window)
            pipe.zadd(arrivals, {arrival or uuid.uuid4().hex: now}, nx=True)
            pipe.zcard(arrivals)
            pipe.expire(arrivals, expiry)
            count = pipe.execute()[2]
            if count <= self._max:
                return Verdict.PROCESS
            first_warning = self._redis.set(warned, "1", nx=True, ex=expiry)
        except Exception as error:  # noqa: BLE001 - Redis down: never refuse a person because of it
            logger.warning("shared flood limit unavailable: %s", type(error).__name__)
            return Verdict.PROCESS
        return Verdict.WARN if first_warning else Verdict.ALREADY_WARNED

    def prune(self) -> None:
        """Nothing to do: Redis expires idle windows."""
