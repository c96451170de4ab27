"""Per-person locks shared by every bot instance through Redis, for replicas (issue 17).

A lock is held under a short lease that the holder renews while its turn goes on: an instance
killed while holding it blocks that person for one lease at most. When Redis cannot give the lock
in time, the turn goes on without it: an answer out of order is better than silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

logger = logging.getLogger(__name__)


class SharedPersonLocks:
    """The registry of per-person locks, in Redis (same interface as PersonLocks)."""

    def __init__(self, client: Any, lease_seconds: float, wait_seconds: float) -> None:
        self._redis = client
        self._lease = lease_seconds
        self._wait = wait_seconds

    @asynccontextmanager
    async def of(self, pseudonym: str) -> AsyncIterator[None]:
        """Hold the person's lock for the block (or go on without it when Redis fails)."""
        name = f"person-lock:{pseudonym}"
        lock = self._redis.lock(name, timeout=self._lease, sleep=0.05, blocking_timeout=self._wait)
        try:
            held = bool(await lock.acquire())
        except Exception as error:  # noqa: BLE001 - Redis down: answer anyway
            logger.warning("person lock unavailable: %s", type(error).__name__)
            held = False
        if not held:
            logger.warning("person lock not obtained in time: answering without it")
        renewing = asyncio.ensure_future(self._renew(lock)) if held else None
        try:
            yield
        finally:
            if renewing is not None:
                renewing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewing
                try:
                    await lock.release()
                except Exception as error:  # noqa: BLE001 - expired meanwhile: nothing to release
                    logger.warning("person lock already gone: %s", type(error).__name__)

    async def _renew(self, lock: Any) -> None:
        """Give the lock a full lease again every third of a lease, while the turn goes on."""
        while True:
            await asyncio.sleep(self._lease / 3)
            try:
                await lock.reacquire()
            except Exception as error:  # noqa: BLE001 - lost: the turn finishes anyway
                logger.warning("person lock not renewed: %s", type(error).__name__)
                return
