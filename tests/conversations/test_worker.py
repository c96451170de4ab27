"""Worker mode through the trained model: each profile's path, toggles, summary."""

from __future__ import annotations

import pytest

from actions.worker import payload
from core import payloads
from core.i18n import tr
from core.screens import EDIT_DIRECTIVE
from core.worker import load

CONTENT = load()


@pytest.mark.parametrize(
    ("language", "text"), [("en", "I'm a nurse, what signs should I look for"), ("fr", "je suis éducatrice")]
)
async def test_free_text_opens_the_worker_mode(chat, language, text):
    screen = await chat(language).last(text)
    assert screen.text == tr(language, "worker.choose_profile")
    assert len(screen.buttons) == len(CONTENT.profiles)


@pytest.mark.parametrize("profile", sorted(CONTENT.profiles))
async def test_each_profile_path_ends_with_its_next_steps(chat, profile):
    person = chat("fr")
    await person.say(payloads.PROFESSIONAL)
    forms = await person.last(payload("worker_profile", p=profile))
    assert forms.text == tr("fr", "worker.choose_form")
    await person.say(payload("worker_form", f="general"))
    for item in CONTENT.forms["general"][:2]:
        await person.say(payload("worker_toggle", i=item.id))
    screens = await person.say(payload("worker_done"))
    assert "2" in screens[0].text
    assert screens[-1].text == tr("fr", f"worker.profile.{profile}.next")
    assert payloads.ASSOCIATION in [button.payload for button in screens[-1].buttons]


async def test_toggles_edit_in_place_and_untick(chat):
    person = chat("en")
    await person.say(payload("worker_profile", p="labour_inspection"))
    opened = await person.last(payload("worker_form", f="labour"))
    first = CONTENT.forms["labour"][0]
    ticked = await person.last(payload("worker_toggle", i=first.id))
    assert EDIT_DIRECTIVE in ticked.directives and ticked.text == opened.text
    assert ticked.buttons[0].title.startswith("☑")
    unticked = await person.last(payload("worker_toggle", i=first.id))
    assert unticked.buttons[0].title.startswith("☐")
    summary = await person.say(payload("worker_done"))
    assert summary[0].text == tr("en", "worker.summary.none")


@pytest.mark.parametrize("profile", ["health", "child_protection"])
async def test_the_talk_card_follows_the_profile(chat, profile):
    person = chat("en")
    forms = await person.last(payload("worker_profile", p=profile))
    talk_button = next(b for b in forms.buttons if b.title == tr("en", "worker.button.talk"))
    card = await person.last(talk_button.payload)
    assert card.text == tr("en", f"worker.profile.{profile}.talk")
    assert "interpreter" in card.text.lower()
