"""Babel extractors: the catalog ids that structured content files imply (see babel.cfg)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

from core import rights, screening, worker


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield (line, funcname, message, comments) for every id of the rights content."""
    content = rights.parse(yaml.safe_load(fileobj.read().decode("utf-8")))
    for msgid in content.msgids():
        kind = "button label, short" if msgid.endswith((".title", ".button")) else "answer, max 560 chars"
        yield 1, None, msgid, [f"Rights {kind}"]


def extract_screening(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield every question and finding id of the self-screening."""
    content = screening.parse(yaml.safe_load(fileobj.read().decode("utf-8")))
    for msgid in content.msgids():
        kind = (
            "question, one line, max 120 chars" if msgid.endswith(".question") else "finding, max 140 chars"
        )
        yield 1, None, msgid, [f"Screening {kind}"]


def extract_worker(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield every label, indicator and next-steps id of the worker mode."""
    for msgid in worker.parse(yaml.safe_load(fileobj.read().decode("utf-8"))).msgids():
        yield 1, None, msgid, ["Worker mode"]


def extract_associations(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield the "what it does" id of every association of the directory seed."""
    from core.directory import association_from_dict

    for entry in yaml.safe_load(fileobj.read().decode("utf-8"))["associations"]:
        yield 1, None, association_from_dict(entry).about_msgid, ["Association, what it does, max 200 chars"]
