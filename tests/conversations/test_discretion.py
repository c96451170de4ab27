"""Discretion through the trained model: auto-erase choices, protected details, quick exit."""

from __future__ import annotations

import pytest

from core import payloads
from core.i18n import tr
from core.screens import Directive


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "messages éphémères svp"), ("en", "auto delete my messages")]
)
async def test_auto_erase_is_offered_by_free_text(chat, language, text):
    screen = await chat(language).last(text)
    assert screen.intent == "auto_erase"
    assert [b.payload for b in screen.buttons] == [payloads.set_auto_erase(s) for s in (0, 300, 3600, 86400)]


async def test_the_chosen_delay_stamps_every_later_screen_until_turned_off(chat):
    person = chat("en")
    assert (await person.last(payloads.MENU)).erase_after is None
    chosen = await person.last(payloads.set_auto_erase(300))
    assert chosen.erase_after == 300 and Directive.AUTO_ERASE_CHANGED in chosen.directives
    assert (await person.last("what are my rights")).erase_after == 300
    assert (await person.last(payloads.set_auto_erase(0))).erase_after is None
    assert (await person.last(payloads.MENU)).erase_after is None


async def test_a_forged_delay_is_refused(chat):
    screen = await chat("en").last('/set_auto_erase{"seconds":7}')
    assert screen.erase_after is None and Directive.AUTO_ERASE_CHANGED not in screen.directives


async def test_rights_details_are_protected_and_offer_the_quick_exit(chat):
    screen = await chat("fr", safe=True).last("comment porter plainte")
    assert screen.protect
    assert payloads.ERASE in [button.payload for button in screen.buttons]
    assert not (await chat("fr").last(payloads.MENU)).protect


@pytest.mark.parametrize("text", ["/exit", payloads.ERASE, "efface tout"])
async def test_every_way_out_erases_the_chat_and_shows_nothing(chat, text):
    person = chat("fr")
    shown = await person.say("bonjour")
    assert await person.say(text) == [], "an exit adds nothing to the chat"
    assert person.erased == len(shown), f"every screen shown is deleted: {person.erased} of {len(shown)}"


async def test_the_safety_question_comes_once_before_details_and_the_answer_follows_at_once(chat):
    person = chat("en")
    asked = await person.last("how do I file a complaint")
    assert asked.text == tr("en", "safety.question")
    assert [b.payload for b in asked.buttons] == [
        payloads.safety_answer("safe"),
        payloads.safety_answer("watched"),
        payloads.ERASE,
    ]
    answered, detail = await person.say(payloads.safety_answer("watched"))  # one tap, then the answer
    assert answered.erase_after == 300 and Directive.AUTO_ERASE_CHANGED in answered.directives
    assert answered.text == tr("en", "safety.watched")
    assert payloads.PHONE_SAFETY in [button.payload for button in answered.buttons]
    assert detail.text.startswith(tr("en", "rights.complaint.text"))
    assert detail.erase_after == 300
    again = await person.last("can I get medical care without insurance")
    assert again.text.startswith(tr("en", "rights.health.text"))  # asked once per conversation


@pytest.mark.parametrize("text", ["I have nowhere to sleep tonight", "which phone numbers can I call"])
async def test_urgent_help_is_never_delayed_by_the_question(chat, text):
    screen = await chat("en").last(text)
    assert screen.text != tr("en", "safety.question")
    assert "115" in screen.text or "112" in screen.text


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "comment sécuriser mon téléphone"), ("en", "how do I hide this chat")]
)
async def test_the_phone_safety_card_is_honest_about_its_limits(chat, language, text):
    screen = await chat(language).last(text)
    assert screen.text == tr(language, "safety.phone_card")
    assert screen.protect
    assert payloads.AUTO_ERASE in [button.payload for button in screen.buttons]
