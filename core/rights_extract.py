"""Babel extractor: the catalog ids that data/rights.yml implies (see babel.cfg)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

from core.rights import parse


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield (line, funcname, message, comments) for every id of the rights content."""
    content = parse(yaml.safe_load(fileobj.read().decode("utf-8")))
    for msgid in content.msgids():
        kind = "button label, short" if msgid.endswith((".title", ".button")) else "answer, max 560 chars"
        yield 1, None, msgid, [f"Rights {kind}"]
