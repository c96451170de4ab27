"""Rights content: every item has sources, a recent review date, and every language."""

from __future__ import annotations

import datetime

import pytest

from actions.rights import answer_text
from core.i18n import tr
from core.languages import SUPPORTED
from core.legal_references import unsourced
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
    shown = answer_text(language, CONTENT, item)
    assert len(shown) <= MAX_SCREEN, f"{item.id}/{language}: {len(shown)} characters"
    assert len(label) <= 40, f"{item.id}/{language}: button label too long"


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_legal_reference_an_answer_cites_is_among_its_sources(language):
    missing = {
        item.id: sorted(unsourced(tr(language, item.text_msgid), item.sources))
        for item in ITEMS
        if unsourced(tr(language, item.text_msgid), item.sources)
    }
    assert not missing, f"{language}: cite only what the sources hold, or add the source: {missing}"


def test_the_reference_check_catches_an_article_missing_from_the_sources():
    assert unsourced("Voir C. pén. 226-14 et L.425-1.", ["Code pénal, art. 226-14"]) == {"L425-1"}
    assert unsourced("Carte (L.425-1).", ["CESEDA art. L.425-11"]) == {"L425-1"}
    assert not unsourced("Appelez le 116 006, 24 h/24.", ["france-victimes.fr"])


def test_minors_are_spoken_to_informally_and_adults_formally():
    minors = CONTENT.topic("minors")
    assert CONTENT.offer_msgid(minors) == "rights.offer_association_minor"
    assert CONTENT.offer_msgid(CONTENT.item("minors.age")) == "rights.offer_association_minor"
    assert CONTENT.offer_msgid(CONTENT.item("residence.time")) == "rights.offer_association"
    for item in [minors, *minors.followups]:
        text = tr("fr", item.text_msgid) + tr("fr", CONTENT.offer_msgid(item))
        assert " tu " in f" {text} " or "t'" in text, item.id
        assert " vous " not in f" {text} ", f"{item.id} speaks to a child as vous"


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
        ({"audience": "teenagers"}, "audience must be"),
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
