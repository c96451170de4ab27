"""Parsing once: every update becomes exactly one typed input, whatever was typed."""

from __future__ import annotations

import pytest

from bot.turn.inputs import (
    AnswerAssociation,
    CodeWordCommand,
    Incoming,
    Media,
    Payload,
    Person,
    QuickExit,
    Start,
    Words,
    clean_text,
    parse,
)
from core.handover_messages import REPLY_PAYLOAD

INTENTS = frozenset({"menu", "start", "choose_language", "handover_confirm"})
PERSON = Person("test", "1")


def typed(text: str):
    return parse(Incoming(PERSON, 1, text), INTENTS)


def pressed(data: str):
    return parse(Incoming(PERSON, 1, data, button=True), INTENTS)


@pytest.mark.parametrize("text", ["/exit", "/EXIT", "/exit@some_bot", "/exit now", "/quick_exit"])
def test_every_way_to_type_the_exit_is_the_quick_exit(text):
    assert typed(text) == QuickExit()


def test_buttons_of_our_own_and_forged_ones():
    assert pressed("/quick_exit") == QuickExit()
    assert pressed(REPLY_PAYLOAD) == AnswerAssociation()
    assert pressed("/codeword") == CodeWordCommand("")
    assert pressed('/choose_language{"lang_code":"en"}') == Payload("choose_language", {"lang_code": "en"})
    assert pressed("hq:a:ABCDEF") == Payload("menu"), "anything else shows the menu"
    assert pressed('/menu{"a":{"b":1}}') == Payload("menu"), "nested entities are not ours"


def test_commands_payloads_and_deep_links():
    assert typed("/codeword Tournesol Bleu") == CodeWordCommand("Tournesol Bleu")
    assert typed("/start h-en-ccem") == Start("en", "ccem")
    assert typed("/start h-xx-ccem") == Payload("start"), "an unknown language is a plain start"
    assert typed("/menu@discreet_bot") == Payload("menu")
    assert typed("/handover_confirm") == Payload("handover_confirm")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("/unknown thing", "unknown thing"),
        ('/menu{"a":' + "[" * 50 + "]" * 50 + "}", 'menu{"a":' + "[" * 50 + "]" * 50 + "}"),
        ("/menu{broken", "menu{broken"),
        ("/menu il va me tuer", "menu il va me tuer"),
        ("je dors dehors / ce soir", "je dors dehors / ce soir"),
    ],
)
def test_other_slashes_are_words_that_never_reach_the_engine_as_intent_syntax(text, words):
    parsed = typed(text)
    assert parsed == Words(words) and not parsed.text.startswith("/")


def test_media_has_no_text():
    assert parse(Incoming(PERSON, 1, None), INTENTS) == Media()


def test_text_is_cleaned_once():
    assert clean_text("a\ud800b\u202e c\x00\x07d\u2066e\n\tf ") == "ab cde\n\tf"
    assert clean_text("e\u0301") == "é", "composed"
    assert clean_text("👩\u200d👩\u200d👧") == "👩\u200d👩\u200d👧", "joiners inside emoji stay"
