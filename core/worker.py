"""Worker mode: profiles and indicator checklists from data/worker.yml; wording in the catalogs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

WORKER_FILE = Path(__file__).resolve().parent.parent / "data" / "worker.yml"


class WorkerDataError(ValueError):
    """data/worker.yml is incomplete or inconsistent."""


@dataclass(frozen=True)
class Item:
    """One observable indicator, with its family and source."""

    id: str
    family: str
    source: str


@dataclass(frozen=True)
class Profile:
    """A professional role: what its next steps and talk card rest on, and when they were checked."""

    id: str
    reviewed: datetime.date
    sources: tuple[str, ...]


@dataclass(frozen=True)
class WorkerContent:
    """Families, checklists by form of exploitation, and profiles."""

    families: tuple[str, ...]
    forms: dict[str, tuple[Item, ...]]
    profile_details: tuple[Profile, ...]

    @property
    def profiles(self) -> tuple[str, ...]:
        """The profile ids, in file order."""
        return tuple(profile.id for profile in self.profile_details)

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profile_details if p.id == profile_id), None)

    def item(self, item_id: str) -> Item | None:
        return next((i for items in self.forms.values() for i in items if i.id == item_id), None)

    def msgids(self) -> list[str]:
        ids = [f"worker.family.{family}" for family in self.families]
        for form, items in self.forms.items():
            ids.append(f"worker.form.{form}.title")
            ids += [f"worker.item.{item.id}" for item in items]
        for profile in self.profiles:
            ids += [f"worker.profile.{profile}.{part}" for part in ("title", "next", "talk")]
        return ids


def parse(data: dict[str, Any]) -> WorkerContent:
    """Build and check the content: known families, a source per item, unique ids."""
    families = tuple(data.get("families") or [])
    forms = {
        form: tuple(Item(str(i["id"]), str(i["family"]), str(i.get("source") or "")) for i in items)
        for form, items in (data.get("forms") or {}).items()
    }
    items = [item for form_items in forms.values() for item in form_items]
    for item in items:
        if item.family not in families or not item.source.strip():
            raise WorkerDataError(f"{item.id}: needs a known family and a source")
    if len({item.id for item in items}) != len(items):
        raise WorkerDataError("item ids must be unique")
    return WorkerContent(families, forms, _profiles(data.get("profiles") or {}))


def _profiles(raw: dict[str, Any]) -> tuple[Profile, ...]:
    """Each profile with its sources and a review date that is not in the future."""
    profiles = []
    for profile_id, fields in raw.items():
        fields = fields or {}
        reviewed = fields.get("reviewed")
        sources = tuple(str(s).strip() for s in fields.get("sources") or [] if str(s).strip())
        if not isinstance(reviewed, datetime.date) or reviewed > datetime.date.today() or not sources:
            raise WorkerDataError(f"profile {profile_id}: needs sources and a past review date")
        profiles.append(Profile(str(profile_id), reviewed, sources))
    return tuple(profiles)


@cache
def load(path: Path = WORKER_FILE) -> WorkerContent:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
