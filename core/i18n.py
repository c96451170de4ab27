"""Every sentence a person reads comes from the gettext catalogs in locales/.

Catalog ids are symbolic (``menu.title``); each language, English included, must translate them.
A translator is looked up per reply, never installed globally.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations

from core.languages import SUPPORTED, normalise

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


class MissingCatalogError(RuntimeError):
    """A compiled catalog (.mo) is missing: run `make catalogs`."""


@cache
def catalog(language: str) -> Translations:
    """Load the compiled catalog of one supported language."""
    mo_file = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo_file.is_file():
        raise MissingCatalogError(f"compiled catalog missing: {mo_file} (run `make catalogs`)")
    with mo_file.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


def tr(language: str, msgid: str, **params: object) -> str:
    """Translate a catalog id into the given language, filling named {placeholders}."""
    text = catalog(normalise(language) or SUPPORTED[0]).gettext(msgid)
    return text.format(**params) if params else text


def check_catalogs() -> None:
    """Fail early, at start-up, when a compiled catalog is missing."""
    for language in SUPPORTED:
        catalog(language)


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction"
    """Mark a catalog id for extraction where it is named before being translated."""
    return msgid
