"""Flood control per person: too many messages in a short window are answered, not processed."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    """What to do with one incoming message."""

    PROCESS = "process"
    WARN = "warn"  # tell the person to slow down
    ALREADY_WARNED = "already_warned"  # told within this window: do not flood back


@dataclass
class _Window:
    arrivals: deque[tuple[float, str | None]] = field(default_factory=deque)
    warned_at: float | None = None


class FloodGate:
    """Sliding-window limit of `max_messages` per `window_seconds` for each key."""

    def __init__(
        self, max_messages: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max = max_messages
        self._window = window_seconds
        self._clock = clock
        self._windows: dict[str, _Window] = {}

    def check(self, key: str, arrival: str | None = None) -> Verdict:
        """Record an arrival and decide whether to process it. A message delivered again (the same
        `arrival` key: the channel's redelivery after a lost acknowledgement) counts once."""
        now = self._clock()
        window = self._windows.setdefault(key, _Window())
        while window.arrivals and now - window.arrivals[0][0] > self._window:
            window.arrivals.popleft()
        if arrival is None or all(seen != arrival for _, seen in window.arrivals):
            window.arrivals.append((now, arrival))
        if len(window.arrivals) <= self._max:
            return Verdict.PROCESS
        if window.warned_at is not None and now - window.warned_at <= self._window:
            return Verdict.ALREADY_WARNED
        window.warned_at = now
        return Verdict.WARN

    def _expired(self, window: _Window, now: float) -> bool:
        return now - window.arrivals[-1][0] > self._window

    def prune(self) -> None:
        """Drop windows with no recent arrival, so memory stays bounded."""
        now = self._clock()
        stale = [key for key, w in self._windows.items() if not w.arrivals or self._expired(w, now)]
        for key in stale:
            del self._windows[key]
