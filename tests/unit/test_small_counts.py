"""Small counts are hidden, and never recoverable from the total by subtraction."""

from __future__ import annotations

import itertools

from core.small_counts import THRESHOLD, protect


def recoverable(cells: dict[str, int]) -> set[str]:
    """Hidden cells an attacker can compute: total minus the visible ones, when one is hidden."""
    row = protect(cells)
    hidden = [name for name, value in row.cells.items() if value is None]
    return set(hidden) if row.total is not None and len(hidden) == 1 else set()


def test_small_counts_are_hidden_and_large_ones_shown():
    row = protect({"75": 12, "93": 3, "13": 7})
    assert row.total == 22 and row.cells["93"] is None and row.cells["75"] == 12


def test_a_lone_hidden_count_takes_the_smallest_other_with_it():
    row = protect({"75": 12, "93": 3, "13": 7})
    assert row.cells == {"75": 12, "93": None, "13": None}


def test_a_row_under_the_threshold_is_hidden_whole():
    row = protect({"adult": 3, "minor": 1})
    assert row.total is None and set(row.cells.values()) == {None}


def test_no_combination_of_small_rows_gives_a_hidden_count_back():
    for values in itertools.product(range(0, 9), repeat=3):
        cells = dict(zip("abc", values, strict=True))
        row = protect(cells)
        assert not recoverable(cells), cells
        assert all(value is None or value >= THRESHOLD for value in row.cells.values()), cells
