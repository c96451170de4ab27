"""A clock that tests move by hand, for the stores that take one (core.clock.Clock)."""

from __future__ import annotations

from datetime import datetime, timedelta


class ManualClock:
    """Stands still at `now` until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move forward, e.g. advance(hours=49)."""
        self.now += timedelta(**delta)
