"""Self-screening questions from data/screening.yml; their wording comes from the catalogs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SCREENING_FILE = Path(__file__).resolve().parent.parent / "data" / "screening.yml"
VERSIONS = ("adult", "minor")
ANSWERS = ("yes", "no", "skip")


class ScreeningDataError(ValueError):
    """data/screening.yml is incomplete or inconsistent."""


@dataclass(frozen=True)
class Question:
    """One question: yes means the indicator is present."""

    version: str
    id: str
    family: str
    danger: bool
    rights: tuple[str, ...]

    @property
    def question_msgid(self) -> str:
        return f"screening.{self.version}.{self.id}.question"

    @property
    def finding_msgid(self) -> str:
        return f"screening.{self.version}.{self.id}.finding"


@dataclass(frozen=True)
class Screening:
    """The adult and minor versions."""

    versions: dict[str, tuple[Question, ...]]

    def questions(self, version: str) -> tuple[Question, ...]:
        return self.versions[version]

    def msgids(self) -> list[str]:
        return [
            msgid
            for version in VERSIONS
            for question in self.versions[version]
            for msgid in (question.question_msgid, question.finding_msgid)
        ]


def parse(data: dict[str, Any], known_topics: set[str] | None = None) -> Screening:
    """Build and check the questions; every problem names the question."""
    versions = {}
    for version in VERSIONS:
        questions = tuple(
            Question(version, str(q["id"]), str(q["family"]), bool(q["danger"]), tuple(q.get("rights") or []))
            for q in data.get(version) or []
        )
        if not 8 <= len(questions) <= 15:
            raise ScreeningDataError(f"{version}: 8 to 15 questions are needed, found {len(questions)}")
        unknown = {t for q in questions for t in q.rights} - known_topics if known_topics else set()
        if unknown:
            raise ScreeningDataError(f"{version}: unknown rights topics {sorted(unknown)}")
        versions[version] = questions
    return Screening(versions)


@cache
def load(path: Path = SCREENING_FILE) -> Screening:
    """The screening content, loaded and checked once per process."""
    from core import rights

    topics = {topic.id for topic in rights.load().topics}
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), topics)
