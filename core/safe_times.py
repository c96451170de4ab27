"""When the association, and the bot on its behalf, may write to the person first.

Times are French local time. Outside the chosen window nothing is sent; "when I write" holds
every message until the person writes again.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

FRANCE = ZoneInfo("Europe/Paris")
ANY = "any"
WHEN_I_WRITE = "first"
WINDOWS: dict[str, tuple[time, time]] = {
    "morning": (time(9), time(12)),
    "afternoon": (time(14), time(18)),
    "evening": (time(18), time(21)),
}
OPTIONS = (ANY, *WINDOWS, WHEN_I_WRITE)


def is_allowed(option: str, at: datetime) -> bool:
    """True when a message may reach the person at this instant."""
    if option == ANY:
        return True
    window = WINDOWS.get(option)
    if window is None:
        return False
    local = at.astimezone(FRANCE).time()
    return window[0] <= local < window[1]


def next_allowed(option: str, now: datetime) -> datetime | None:
    """The first instant from now when a message may be sent; None: wait for the person to write."""
    if option == ANY or is_allowed(option, now):
        return now
    window = WINDOWS.get(option)
    if window is None:
        return None
    local = now.astimezone(FRANCE)
    start = datetime.combine(local.date(), window[0], tzinfo=FRANCE)
    if start <= local:
        start = datetime.combine(local.date() + timedelta(days=1), window[0], tzinfo=FRANCE)
    return start
