"""Legal references cited in a text (articles such as L.425-1, R.425-1, D594-11, 226-14, 2024-42)."""

from __future__ import annotations

import re

# A code article (letter, optional dot, numbers joined by dashes) or a numbered text (2024-42).
_REFERENCE = re.compile(r"(?<![\w.])(?:[LRD]\.?\s?)?\d{1,4}(?:-\d+)+(?![\w-])")


def cited(text: str) -> set[str]:
    """The references a text cites, written without dots or spaces (L.425-1 -> L425-1)."""
    return {re.sub(r"[.\s]", "", match) for match in _REFERENCE.findall(text)}


def unsourced(text: str, sources: tuple[str, ...] | list[str]) -> set[str]:
    """The references a text cites that none of its sources names."""
    named = set().union(*(cited(source) for source in sources)) if sources else set()
    return cited(text) - named
