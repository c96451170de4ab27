"""Monthly counts of an association's requests by département, form of exploitation, age group,
language, level and outcome (the categories of the national annual survey of victims supported
by associations), protected by `core.small_counts` before anyone sees them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.exploitation import FORMS, OTHER
from core.handover import LEVELS
from core.languages import SUPPORTED
from core.request_states import OUTCOMES
from core.small_counts import ProtectedRow, protect

PARIS = ZoneInfo("Europe/Paris")
UNKNOWN = "unknown"
OPEN, UNMATCHED = "open", "unmatched"
DIMENSIONS = ("departement", "form", "age", "language", "level", "outcome")
FIXED_CATEGORIES: dict[str, tuple[str, ...]] = {
    "form": (*FORMS, OTHER),
    "age": ("adult", "minor"),
    "language": SUPPORTED,
    "level": LEVELS,
    "outcome": (*OUTCOMES, UNMATCHED, OPEN),
}


@dataclass(frozen=True)
class CountRecord:
    """What the counts read of one request: no personal field."""

    created_at: datetime
    departement: str | None
    form: str | None
    minor: bool
    language: str
    level: str
    status: str
    outcome: str | None

    def category(self, dimension: str) -> str:
        """The request's category in one dimension."""
        if dimension == "age":
            return "minor" if self.minor else "adult"
        if dimension == "form":
            return self.form if self.form in FORMS else OTHER
        if dimension == "outcome":
            return self.outcome or (UNMATCHED if self.status == UNMATCHED else OPEN)
        if dimension == "departement":
            return self.departement or UNKNOWN
        return str(getattr(self, dimension))


@dataclass(frozen=True)
class CountTable:
    """One dimension: its categories, and a protected row per month (newest first)."""

    dimension: str
    categories: tuple[str, ...]
    months: list[tuple[str, ProtectedRow]]


def month_of(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m")


def count_tables(records: Iterable[CountRecord]) -> list[CountTable]:
    """Every dimension's table, small counts hidden."""
    records = list(records)
    tables = []
    for dimension in DIMENSIONS:
        per_month: dict[str, Counter[str]] = defaultdict(Counter)
        for record in records:
            per_month[month_of(record.created_at)][record.category(dimension)] += 1
        seen = sorted({category for counts in per_month.values() for category in counts})
        categories = FIXED_CATEGORIES.get(dimension) or tuple(seen)
        months = [
            (month, protect({category: per_month[month][category] for category in categories}))
            for month in sorted(per_month, reverse=True)
        ]
        tables.append(CountTable(dimension, tuple(categories), months))
    return tables


def csv_rows(tables: Iterable[CountTable]) -> list[list[str]]:
    """The same protected counts as rows for a CSV file: hidden counts are written "<5"."""
    rows = [["month", "dimension", "category", "count"]]
    for table in tables:
        for month, row in table.months:
            for category in table.categories:
                value = row.cells[category]
                rows.append([month, table.dimension, category, "<5" if value is None else str(value)])
            rows.append([month, table.dimension, "total", "<5" if row.total is None else str(row.total)])
    return rows
