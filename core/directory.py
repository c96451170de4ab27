"""Directory of partner associations (data/associations.yml) and the choice of whom to suggest.

Pure Python: the seed file is read only when asked, and the storage layer keeps associations as
the plain dicts of `association_to_dict`. What each association does is worded in the catalogs
(`association.<id>.about`); this module only holds ids, codes and flags.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from core.exploitation import FORMS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_PATH = DATA_DIR / "associations.yml"
DEPARTEMENTS_FILE = DATA_DIR / "places" / "departements.tsv"

PUBLICS = ("adults", "minors", "women", "men")  # "adults" means adults of any gender
ADULT_PUBLICS = ("adults", "women", "men")
CHANNELS = ("chat", "phone", "in_person")
STATUSES = ("to_confirm", "confirmed", "demo")  # "demo": data/demo_association.yml only

ID_PATTERN = re.compile(r"^[a-z0-9_]{2,20}$")
DEPARTEMENT_PATTERN = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
WEBSITE_PATTERN = re.compile(r"^https?://\S+$")
_TSV_CODE = re.compile(r"^(\d{2,3}|2[AB])$")  # tells a code from a header cell


class DirectoryError(ValueError):
    """An association entry is incomplete or inconsistent; names the association and the field."""

    def __init__(self, association_id: str, field: str, detail: str) -> None:
        super().__init__(f"association {association_id!r}: {field}: {detail}")
        self.association_id = association_id
        self.field = field


@dataclass(frozen=True)
class Association:
    """One partner association, as published (public information only)."""

    id: str
    name: str
    forms: tuple[str, ...]
    publics: tuple[str, ...]
    languages: tuple[str, ...]
    departements: tuple[str, ...]
    national: bool
    channels: tuple[str, ...]
    website: str | None
    source: str
    status: str
    active: bool = True

    @property
    def about_msgid(self) -> str:
        """Catalog id of the plain-words description of what the association does."""
        return f"association.{self.id}.about"


FIELDS = tuple(f.name for f in fields(Association))
REQUIRED = ("id", "name", "forms", "publics", "departements", "national", "channels", "source", "status")


# --- Validation -------------------------------------------------------------------------------


@cache
def known_departements(path: Path = DEPARTEMENTS_FILE) -> frozenset[str] | None:
    """INSEE codes from the first column of departements.tsv, or None when the file is absent."""
    if not path.exists():
        return None
    cells = (line.split("\t", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(cell for cell in cells if _TSV_CODE.match(cell))


def is_departement(code: object) -> bool:
    """True for a known INSEE département code given as a string ("13", "2A", "974")."""
    if not isinstance(code, str):
        return False
    known = known_departements()
    return code in known if known is not None else bool(DEPARTEMENT_PATTERN.match(code))


def _check_keys(data: dict[str, Any], ident: str) -> None:
    """Refuse missing required fields and unknown ones (a typo would silently drop data)."""
    for key in data:
        if key not in FIELDS:
            raise DirectoryError(ident, str(key), "unknown field")
    for key in REQUIRED:
        if data.get(key) is None:
            raise DirectoryError(ident, key, "missing")


def _text(data: dict[str, Any], field: str, ident: str) -> str:
    """A required, non-blank string field."""
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DirectoryError(ident, field, "must be a non-empty text")
    return value.strip()


def _codes(data: dict[str, Any], field: str, ident: str, allowed: Iterable[str]) -> tuple[str, ...]:
    """A non-empty list whose items all belong to `allowed`, without repeats."""
    values = data.get(field)
    if not isinstance(values, list | tuple) or not values:
        raise DirectoryError(ident, field, "must be a non-empty list")
    allowed = tuple(allowed)
    for value in values:
        if value not in allowed:
            raise DirectoryError(ident, field, f"unknown value {value!r} (allowed: {', '.join(allowed)})")
    if len(set(values)) != len(values):
        raise DirectoryError(ident, field, "repeated value")
    return tuple(values)


def _languages(data: dict[str, Any], ident: str) -> tuple[str, ...]:
    """Language codes such as "fr" or "en"; French when the entry names none."""
    values = data.get("languages") or ["fr"]
    if not isinstance(values, list | tuple):
        raise DirectoryError(ident, "languages", "must be a list")
    for value in values:
        if not isinstance(value, str) or not LANGUAGE_PATTERN.match(value):
            raise DirectoryError(ident, "languages", f"bad language code {value!r}")
    return tuple(values)


def _departements(data: dict[str, Any], ident: str, national: bool) -> tuple[str, ...]:
    """INSEE codes as strings; an association must meet people somewhere or be national."""
    values = data.get("departements")
    if not isinstance(values, list | tuple):
        raise DirectoryError(ident, "departements", "must be a list")
    for value in values:
        if not is_departement(value):
            raise DirectoryError(ident, "departements", f'bad code {value!r} (quote codes: "06")')
    if not values and not national:
        raise DirectoryError(ident, "departements", "empty, and the association is not national")
    return tuple(values)


def _flag(data: dict[str, Any], field: str, ident: str, default: bool | None = None) -> bool:
    """A true/false field (a string such as "yes" is refused rather than guessed)."""
    value = data.get(field, default)
    if not isinstance(value, bool):
        raise DirectoryError(ident, field, "must be true or false")
    return value


def _website(data: dict[str, Any], ident: str) -> str | None:
    """An optional http(s) address."""
    value = data.get("website")
    if value is None:
        return None
    if not isinstance(value, str) or not WEBSITE_PATTERN.match(value):
        raise DirectoryError(ident, "website", "must be an http(s) address")
    return value


def _status(data: dict[str, Any], ident: str) -> str:
    """to_confirm until the association has confirmed its entry itself."""
    value = data.get("status")
    if value not in STATUSES:
        raise DirectoryError(ident, "status", f"must be one of {', '.join(STATUSES)}")
    return str(value)


def _checked_id(data: dict[str, Any]) -> str:
    """The stable id used in button payloads: [a-z0-9_]{2,20}."""
    value = data.get("id")
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise DirectoryError(str(value), "id", "must match [a-z0-9_]{2,20}")
    return value


# --- Conversion -------------------------------------------------------------------------------


def association_from_dict(data: dict[str, Any]) -> Association:
    """Build an association from a seed entry or a stored row, checking every field."""
    if not isinstance(data, dict):
        raise DirectoryError("?", "entry", "must be a mapping")
    ident = _checked_id(data)
    _check_keys(data, ident)
    national = _flag(data, "national", ident)
    return Association(
        id=ident,
        name=_text(data, "name", ident),
        forms=_codes(data, "forms", ident, FORMS),
        publics=_codes(data, "publics", ident, PUBLICS),
        languages=_languages(data, ident),
        departements=_departements(data, ident, national),
        national=national,
        channels=_codes(data, "channels", ident, CHANNELS),
        website=_website(data, ident),
        source=_text(data, "source", ident),
        status=_status(data, ident),
        active=_flag(data, "active", ident, default=True),
    )


def association_to_dict(association: Association) -> dict[str, Any]:
    """Plain dict (lists, not tuples) for storage; `association_from_dict` reads it back."""
    values = {name: getattr(association, name) for name in FIELDS}
    return {name: list(value) if isinstance(value, tuple) else value for name, value in values.items()}


def _check_reviewed(raw: dict[str, Any]) -> None:
    """The file carries the date its entries were last reviewed, as YYYY-MM-DD."""
    try:
        datetime.date.fromisoformat(str(raw.get("reviewed")))
    except ValueError as error:
        raise DirectoryError("*", "reviewed", "must be a date YYYY-MM-DD") from error


def load_seed(path: Path = DEFAULT_PATH) -> tuple[Association, ...]:
    """Read and check the seed file; raises DirectoryError naming the entry and field at fault."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    _check_reviewed(raw)
    associations = tuple(association_from_dict(entry) for entry in raw.get("associations") or [])
    seen: set[str] = set()
    for association in associations:
        if association.id in seen:
            raise DirectoryError(association.id, "id", "duplicate id")
        seen.add(association.id)
    return associations


# --- Matching ---------------------------------------------------------------------------------


def serves_public(association: Association, *, minor: bool) -> bool:
    """A minor only goes to a service for minors; an adult to one for adults, women or men.

    This is a hard filter, never a preference: sending a child to an adults-only service (or an
    adult to a children's one) wastes the person's one chance to reach out, and child protection
    follows its own rules (§5 of the fact sheet).
    """
    if minor:
        return "minors" in association.publics
    return any(public in association.publics for public in ADULT_PUBLICS)


def reaches(association: Association, departement: str | None) -> bool:
    """It can meet the person in their département, or takes requests from anywhere in France."""
    return association.national or (departement is not None and departement in association.departements)


def _rank_key(
    association: Association, departement: str | None, form: str | None, language: str
) -> tuple[bool, bool, bool, str]:
    """Sort key, smallest first: serves the form, meets in the département, speaks the language, id."""
    serves_form = form is None or form in association.forms
    local = departement is not None and departement in association.departements
    return (not serves_form, not local, language not in association.languages, association.id)


def rank(
    associations: Iterable[Association],
    *,
    departement: str | None,
    form: str | None,
    language: str,
    minor: bool,
) -> list[Association]:
    """Associations that can help this person, best first.

    Only active associations of the right public (see `serves_public`) that meet people in the
    département or are national. Those that know the form of exploitation come first, because the
    right specialism matters more than distance: a labour case in Marseille is better served by a
    national labour association than by a local one working on another form. Within each group a
    local association comes before a national one (meeting in person builds trust), then one that
    speaks the person's language, then the id so the order never changes between two calls.
    Associations working on other forms are kept at the end: they can still listen and refer.
    `form=None` (not known yet) treats every association as serving it.
    """
    if form is not None and form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    eligible = [
        a for a in associations if a.active and serves_public(a, minor=minor) and reaches(a, departement)
    ]
    return sorted(eligible, key=lambda a: _rank_key(a, departement, form, language))


def national_fallbacks(
    associations: Iterable[Association],
    *,
    minor: bool,
    form: str | None = None,
    language: str = "fr",
) -> list[Association]:
    """National associations for this public, ranked as `rank` does without a département.

    Used when the person's département is unknown or has no local partner (most of France outside
    Île-de-France, Lyon, Marseille, Nice, Toulouse and Bordeaux): these take requests from anywhere.
    """
    return rank(associations, departement=None, form=form, language=language, minor=minor)
