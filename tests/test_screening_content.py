"""Self-screening content: 8-15 questions per version, every indicator family, one-line questions."""

from __future__ import annotations

import pytest

from core.i18n import tr
from core.languages import SUPPORTED
from core.screening import ScreeningDataError, load, parse

FAMILIES = {
    "deception", "documents", "debt", "wages", "movement", "threats",
    "isolation", "conditions", "forced_activity", "fear_of_authorities",
}  # fmt: skip
CONTENT = load()


def test_the_adult_version_covers_every_indicator_family():
    assert {question.family for question in CONTENT.questions("adult")} == FAMILIES


@pytest.mark.parametrize("version", ["adult", "minor"])
def test_each_version_has_8_to_15_questions_and_a_danger_question(version):
    questions = CONTENT.questions(version)
    assert 8 <= len(questions) <= 15
    assert any(question.danger for question in questions)


@pytest.mark.parametrize("language", SUPPORTED)
def test_questions_are_one_short_line_in_every_language(language):
    for version in ("adult", "minor"):
        for question in CONTENT.questions(version):
            text = tr(language, question.question_msgid)
            assert text != question.question_msgid and "\n" not in text and len(text) <= 120, question.id
            assert tr(language, question.finding_msgid) != question.finding_msgid


def test_too_few_questions_or_unknown_topics_are_refused():
    question = {"id": "q", "family": "debt", "danger": False, "rights": ["work"]}
    with pytest.raises(ScreeningDataError, match="8 to 15"):
        parse({"adult": [question], "minor": [question] * 8})
    with pytest.raises(ScreeningDataError, match="unknown rights topics"):
        parse({"adult": [question] * 8, "minor": [question] * 8}, known_topics={"health"})
