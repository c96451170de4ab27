"""Rights topics and their follow-ups, from data/rights.yml; wording comes from the catalogs."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from core.i18n import N_

RIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "rights.yml"
ADULTS, MINORS = "adult", "minor"


class RightsDataError(ValueError):
    """data/rights.yml is incomplete or inconsistent."""


@dataclass(frozen=True)
class RightsItem:
    """One answer: a topic or a follow-up, with its sources and review date."""

    id: str
    reviewed: datetime.date
    sources: tuple[str, ...]
    answers: str | None = None  # the free-text follow-up intent it answers

    @property
    def text_msgid(self) -> str:
        return f"rights.{self.id}.text"

    @property
    def label_msgid(self) -> str:
        """The button that opens this item: a topic's title or a follow-up's question."""
        return f"rights.{self.id}.button"


@dataclass(frozen=True)
class Topic(RightsItem):
    """A rights topic, reached by its intent, with its follow-ups."""

    intent: str = ""
    followups: tuple[RightsItem, ...] = field(default_factory=tuple)
    audience: str = ADULTS  # `minor`: the topic speaks to a child, informally

    @property
    def offer_msgid(self) -> str:
        """The offer of an association closing each answer, in the topic's register."""
        if self.audience == MINORS:
            return N_("rights.offer_association_minor")
        return N_("rights.offer_association")

    @property
    def label_msgid(self) -> str:
        return f"rights.{self.id}.title"

    def followup_answering(self, intent: str) -> RightsItem | None:
        """The follow-up of this topic that answers a free-text follow-up intent."""
        return next((item for item in self.followups if item.answers == intent), None)


@dataclass(frozen=True)
class RightsContent:
    """All topics, indexed by id and by intent."""

    topics: tuple[Topic, ...]

    def topic(self, topic_id: str | None) -> Topic | None:
        return next((topic for topic in self.topics if topic.id == topic_id), None)

    def topic_for_intent(self, intent: str | None) -> Topic | None:
        return next((topic for topic in self.topics if topic.intent == intent), None)

    def item(self, item_id: str | None) -> RightsItem | None:
        """A topic or a follow-up by its full id (`residence` or `residence.nodocs`)."""
        return next((item for item in self.items() if item.id == item_id), None)

    def topic_of(self, item: RightsItem) -> Topic:
        """The topic an item belongs to (itself for a topic)."""
        topic = self.topic(item.id.split(".")[0])
        assert topic is not None
        return topic

    def items(self) -> Iterator[RightsItem]:
        for topic in self.topics:
            yield topic
            yield from topic.followups

    def msgids(self) -> list[str]:
        """Every catalog id the content needs, in file order."""
        return [msgid for item in self.items() for msgid in (item.label_msgid, item.text_msgid)]

    def offer_msgid(self, item: RightsItem) -> str:
        """The association offer that closes an item's answer."""
        return self.topic_of(item).offer_msgid


def _item_fields(raw: dict[str, Any], item_id: str) -> dict[str, Any]:
    """Common fields, checked: a review date in the past and at least one source."""
    reviewed = raw.get("reviewed")
    if not isinstance(reviewed, datetime.date):
        raise RightsDataError(f"{item_id}: `reviewed` must be a date (YYYY-MM-DD)")
    if reviewed > datetime.date.today():
        raise RightsDataError(f"{item_id}: review date {reviewed} is in the future")
    sources = tuple(str(source).strip() for source in raw.get("sources") or [] if str(source).strip())
    if not sources:
        raise RightsDataError(f"{item_id}: at least one source is required")
    return {"id": item_id, "reviewed": reviewed, "sources": sources, "answers": raw.get("answers")}


def parse(data: dict[str, Any]) -> RightsContent:
    """Build and check the content; every problem names the item."""
    topics = []
    for raw in data.get("topics") or []:
        topic_id = str(raw.get("id", ""))
        if not topic_id or "." in topic_id or not raw.get("intent"):
            raise RightsDataError(f"topic {topic_id!r}: needs an id without dots and an intent")
        audience = str(raw.get("audience") or ADULTS)
        if audience not in (ADULTS, MINORS):
            raise RightsDataError(f"topic {topic_id!r}: audience must be {ADULTS!r} or {MINORS!r}")
        followups = tuple(
            RightsItem(**_item_fields(item, f"{topic_id}.{item.get('id')}"))
            for item in raw.get("followups") or []
        )
        fields = _item_fields(raw, topic_id)
        topics.append(Topic(**fields, intent=str(raw["intent"]), followups=followups, audience=audience))
    content = RightsContent(tuple(topics))
    ids = [item.id for item in content.items()]
    intents = [topic.intent for topic in content.topics]
    if len(set(ids)) != len(ids) or len(set(intents)) != len(intents):
        raise RightsDataError("topic ids, follow-up ids and intents must be unique")
    return content


@cache
def load(path: Path = RIGHTS_FILE) -> RightsContent:
    """The rights content, loaded once per process."""
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
