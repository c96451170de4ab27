"""Hand-off links a worker shows: t.me/<bot>?start=<parameter>, or the web chat's address with the
parameter in its fragment (never sent to any server), with no personal data in it.

The parameter names only the language and the worker's association: `h-<language>-<association id>`.
"""

from __future__ import annotations

import re

from core import languages

_PARAMETER = re.compile(r"^h-([a-z]{2})-([a-z0-9_]{2,20})$")
START_LIMIT = 64  # Telegram's limit for a start parameter


def start_parameter(language: str, association_id: str) -> str:
    """The start parameter for a language and an association."""
    parameter = f"h-{language}-{association_id}"
    if not _PARAMETER.match(parameter) or len(parameter) > START_LIMIT:
        raise ValueError("not a valid hand-off parameter")
    return parameter


def parse_parameter(parameter: str) -> tuple[str, str] | None:
    """(language, association id) of a start parameter, or None when it is not a hand-off link."""
    found = _PARAMETER.match(parameter)
    if not found or languages.normalise(found.group(1)) is None:
        return None
    return found.group(1), found.group(2)


def web_link(base_url: str, parameter: str) -> str:
    """The web chat's address that opens with this parameter (in the fragment, which the page reads
    and then removes from the address bar)."""
    return f"{base_url.rstrip('/')}/#{parameter}"
