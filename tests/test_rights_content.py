"""Rights content: every item has sources, a recent review date, and every language."""

from __future__ import annotations

import datetime

import pytest

from core.i18n import tr
from core.languages import SUPPORTED
from core.rights import RightsDataError, load, parse

MAX_SCREEN = 700  # characters per message on a phone (issue: about 700 at most)
MAX_AGE_DAYS = 400  # legal facts change: an answer not reviewed for this long fails CI

CONTENT = load()
ITEMS = list(CONTENT.items())


def test_the_topics_the_issue_asks_for_exist():
    expected = {
        "residence",
        "shelter",
        "exit",
        "complaint",
        "work",
        "compensation",
        "health",
        "minors",
        "numbers",
    }
    assert {topic.id for topic in CONTENT.topics} == expected


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.id)
def test_every_item_is_sourced_and_reviewed_recently(item):
    assert item.sources and all(len(source) > 10 for source in item.sources)
    age = (datetime.date.today() - item.reviewed).days
    assert 0 <= age <= MAX_AGE_DAYS, f"{item.id} was reviewed {age} days ago: review it"


@pytest.mark.parametrize("language", SUPPORTED)
@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.id)
def test_every_item_exists_in_every_language_and_fits_a_screen(item, language):
    text, label = tr(language, item.text_msgid), tr(language, item.label_msgid)
    assert text != item.text_msgid and label != item.label_msgid, f"{item.id} untranslated in {language}"
    shown = text + "\n\n" + tr(language, "rights.offer_association")
    assert len(shown) <= MAX_SCREEN, f"{item.id}/{language}: {len(shown)} characters"
    assert len(label) <= 40, f"{item.id}/{language}: button label too long"


def base(**changes):
    topic = {"id": "t", "intent": "i", "reviewed": datetime.date(2026, 1, 1), "sources": ["A source text"]}
    return {"topics": [{**topic, **changes}]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sources": []}, "at least one source"),
        ({"reviewed": "soon"}, "must be a date"),
        ({"reviewed": datetime.date.today() + datetime.timedelta(days=3)}, "in the future"),
        ({"intent": ""}, "needs an id"),
        ({"followups": [{"id": "x", "reviewed": datetime.date(2026, 1, 1)}]}, "t.x: at least one source"),
    ],
)
def test_incomplete_content_is_refused_with_the_item_named(changes, message):
    with pytest.raises(RightsDataError, match=message):
        parse(base(**changes))


def test_follow_ups_are_found_by_intent_and_id():
    residence = CONTENT.topic("residence")
    assert residence.followup_answering("followup_nodocs").id == "residence.nodocs"
    assert CONTENT.item("residence.nodocs") is residence.followup_answering("followup_nodocs")
    assert CONTENT.topic_of(CONTENT.item("work.where")).id == "work"
