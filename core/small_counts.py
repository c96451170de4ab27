"""Counts that can be published without exposing anyone: a count under 5 is hidden, and when a
row would have a single hidden count, the smallest other one is hidden too, so that the row's
total minus the visible counts never gives a hidden count back. A row whose total is under 5 is
hidden whole."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class ProtectedRow:
    """One row of counts as it may be shown: None where a count is hidden."""

    cells: dict[str, int | None]
    total: int | None


def protect(cells: Mapping[str, int]) -> ProtectedRow:
    """The row with small counts hidden (primary suppression) and, if needed, one more (secondary)."""
    total = sum(cells.values())
    if total < THRESHOLD:
        return ProtectedRow({name: None for name in cells}, None)
    hidden = {name for name, count in cells.items() if count < THRESHOLD}
    if len(hidden) == 1:
        shown = sorted((count, name) for name, count in cells.items() if name not in hidden)
        if shown:
            hidden.add(shown[0][1])
    return ProtectedRow({name: None if name in hidden else count for name, count in cells.items()}, total)
