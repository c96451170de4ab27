"""Discretion through the trained model: auto-erase choices, protected details, quick exit."""

from __future__ import annotations

import pytest

from core import payloads
from core.i18n import tr
from core.screens import AUTO_ERASE_DIRECTIVE, ERASE_DIRECTIVE


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
    assert chosen.erase_after == 300 and AUTO_ERASE_DIRECTIVE in chosen.directives
    assert (await person.last("what are my rights")).erase_after == 300
    assert (await person.last(payloads.set_auto_erase(0))).erase_after is None
    assert (await person.last(payloads.MENU)).erase_after is None


async def test_a_forged_delay_is_refused(chat):
    screen = await chat("en").last('/set_auto_erase{"seconds":7}')
    assert screen.erase_after is None and AUTO_ERASE_DIRECTIVE not in screen.directives


async def test_rights_details_are_protected_and_offer_the_quick_exit(chat):
    screen = await chat("fr").last("comment porter plainte")
    assert screen.protect
    assert payloads.ERASE in [button.payload for button in screen.buttons]
    assert not (await chat("fr").last(payloads.MENU)).protect


@pytest.mark.parametrize("text", ["/exit", payloads.ERASE, "efface tout"])
async def test_every_way_out_asks_the_channel_to_erase(chat, text):
    screen = await chat("fr").last(text)
    assert ERASE_DIRECTIVE in screen.directives
    assert screen.text == tr("fr", "erase.done")
