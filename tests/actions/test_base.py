"""The turn is read once, the reply decided once; run() stamps, asks for safety, and never crashes."""

from __future__ import annotations

import logging

import pytest
from rasa_sdk.events import SlotSet

from actions.base import (
    AUTO_ERASE_METADATA,
    Reply,
    ScreenAction,
    Turn,
    delay_changed,
    erase_delay,
)
from core import payloads
from core.common_screens import static_fallback
from core.i18n import tr
from core.screens import Directive, Screen
from tests.actions.turns import pressed, run_action, tracker, typed


class Echo(ScreenAction):
    """Shows the turn's language and answers once per call."""

    action_name = "action_echo"
    calls = 0

    def respond(self, turn: Turn) -> Reply:
        Echo.calls += 1
        return Reply.of(Screen(turn.language, turn.language), events=[SlotSet("rights_topic", "x")])


class Sensitive(Echo):
    sensitive = True


class Broken(ScreenAction):
    action_name = "action_broken"

    def respond(self, turn: Turn) -> Reply:
        raise KeyError("a secret the person typed")


def test_the_turn_reads_the_latest_message_once():
    turn = Turn.of(pressed(payloads.worker_handoff("en", "ccem"), slots={"worker_ticked": ["a", 2]}))
    assert (turn.intent, turn.is_button) == ("worker_handoff", True)
    assert turn.entity("lang_code") == "en" and turn.entity("a") == "ccem" and turn.entity("x") is None
    assert turn.slot_list("worker_ticked") == ["a", "2"]
    assert turn.slot_text("worker_form") is None and not turn.slot_flag("safety_checked")


def test_the_first_entity_of_a_name_wins():
    on = tracker(text="/x", intent="x")
    on.latest_message["entities"] = [{"entity": "v", "value": "first"}, {"entity": "v", "value": "second"}]
    assert Turn.of(on).entity("v") == "first"


@pytest.mark.parametrize(
    ("slots", "metadata", "language"),
    [
        ({}, {}, "fr"),
        ({}, {"client_language": "ro-RO"}, "ro"),
        ({"language": "en"}, {"client_language": "ro"}, "en"),
        ({"language": "en"}, {"detected_language": "es"}, "es"),
        ({"language": "en", "language_chosen": True}, {"detected_language": "es"}, "en"),
        ({}, {"guessed_language": "uk", "client_language": "ru"}, "uk"),
        ({}, {"hinted_language": "pt", "client_language": "es"}, "es"),
        ({}, {"hinted_language": "pt"}, "pt"),
        ({"language": "en"}, {"hinted_language": "pt"}, "en"),
    ],
)
def test_the_reply_language_follows_choice_detection_history_guess_client(slots, metadata, language):
    assert Turn.of(typed("…", "greet", slots=slots, metadata=metadata)).language == language


def test_a_language_button_wins_only_for_actions_that_follow_it():
    on = pressed(payloads.choose_language("vi"), slots={"language": "en", "language_chosen": True})
    assert Turn.of(on).language == "en"
    assert Turn.of(on, follow_language_button=True).language == "vi"


@pytest.mark.parametrize(
    ("slot", "metadata", "expected"),
    [
        (None, {}, None),
        (300.0, {}, 300),
        (300.0, {AUTO_ERASE_METADATA: 3600}, 3600),  # the channel owns the delay
        (300.0, {AUTO_ERASE_METADATA: None}, None),  # ... and may say it is off
        (None, {AUTO_ERASE_METADATA: 86400}, 86400),
        (0, {}, None),
    ],
)
def test_the_erase_delay_prefers_the_channel_metadata_then_the_slot(slot, metadata, expected):
    on = typed("hello", "greet", slots={"auto_erase_seconds": slot}, metadata=metadata)
    assert Turn.of(on).erase_after == expected


@pytest.mark.parametrize("value", [None, True, "soon", -5, 0, float("nan"), [300]])
def test_an_unreadable_or_empty_delay_means_off(value):
    assert erase_delay(value) is None


async def test_every_screen_is_stamped_with_the_intent_and_the_delay():
    on = typed("salut", "greet", metadata={AUTO_ERASE_METADATA: 3600, "client_language": "en"})
    outcome = await run_action(Echo(), on)
    screen = outcome.screen
    assert (screen.intent, screen.erase_after, screen.language) == ("greet", 3600, "en")
    assert outcome.events[0] == SlotSet("language", "en")
    assert outcome.slots["rights_topic"] == "x"


def test_a_screen_that_changes_the_delay_keeps_its_own():
    turn = Turn.of(typed("x", "set_auto_erase", slots={"auto_erase_seconds": 300.0}))
    changed = turn.stamp(delay_changed(Screen("t", "en"), 86400))
    off = turn.stamp(delay_changed(Screen("t", "en"), 0))
    assert changed.erase_after == 86400 and Directive.AUTO_ERASE_CHANGED in changed.directives
    assert off.erase_after is None and off.has(Directive.AUTO_ERASE_CHANGED)
    assert turn.stamp(Screen("t", "en")).erase_after == 300


async def test_a_sensitive_action_asks_for_safety_first_and_keeps_the_request():
    Echo.calls = 0
    outcome = await run_action(Sensitive(), typed("mes droits au séjour", "rights_residence"))
    assert outcome.screen.text == tr("fr", "safety.question")
    assert outcome.payloads() == [
        payloads.safety_answer("safe"),
        payloads.safety_answer("watched"),
        payloads.ERASE,
    ]
    assert outcome.slots["pending_request"] == "/rights_residence"
    assert Echo.calls == 0, "nothing is decided before the person answers"


async def test_a_pressed_button_is_replayed_as_pressed():
    outcome = await run_action(Sensitive(), pressed(payloads.rights_source("residence")))
    assert outcome.slots["pending_request"] == payloads.rights_source("residence")


async def test_once_safe_the_sensitive_action_decides_once():
    Echo.calls = 0
    outcome = await run_action(Sensitive(), typed("x", "greet", slots={"safety_checked": True}))
    assert Echo.calls == 1
    assert "pending_request" not in outcome.slots


async def test_the_kept_request_is_forgotten_when_it_is_answered_and_not_before():
    kept = payloads.rights_source("residence")
    safe = {"safety_checked": True, "pending_request": kept}
    answered = await run_action(Sensitive(), pressed(kept, slots=safe))
    assert answered.slots["pending_request"] is None
    other = await run_action(Sensitive(), pressed(payloads.MENU, slots=safe))
    assert "pending_request" not in other.slots, "another request leaves it for the safety answer"


async def test_a_failed_answer_keeps_the_request_for_the_next_safety_tap():
    kept = payloads.rights_source("residence")
    slots = {"safety_checked": True, "pending_request": kept}
    outcome = await run_action(Broken(), pressed(kept, slots=slots))
    assert "pending_request" not in outcome.slots


async def test_a_failing_action_shows_the_static_fallback_once_and_listens(caplog):
    on = typed("je m'appelle Nour", "greet", metadata={"client_language": "en", AUTO_ERASE_METADATA: 300})
    with caplog.at_level(logging.ERROR, logger="actions.base"):
        outcome = await run_action(Broken(), on)
    assert outcome.screen.text == static_fallback("en").text
    assert outcome.screen.erase_after == 300, "the fallback is erased like every other message"
    assert outcome.events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]
    assert "KeyError" in caplog.text
    assert "secret" not in caplog.text and "Nour" not in caplog.text


async def test_a_tracker_that_cannot_be_read_still_gets_the_static_fallback():
    on = typed("x", "greet")
    on.slots = None  # a broken tracker, as no Rasa would send
    outcome = await run_action(Echo(), on)
    assert outcome.screen.text == static_fallback("fr").text
    assert outcome.followup == "action_listen"
