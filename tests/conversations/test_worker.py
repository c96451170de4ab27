"""Worker mode through the trained model: each profile's path, toggles, summary."""

from __future__ import annotations

import pytest

from actions.worker import payload
from core import payloads
from core.i18n import tr
from core.screens import Directive
from core.worker import load

CONTENT = load()


@pytest.mark.parametrize(
    ("language", "text", "profile"),
    [
        ("en", "I'm a nurse, what signs should I look for", "health"),
        ("fr", "je suis éducatrice", "child_protection"),
        ("fr", "je suis inspectrice du travail, quels signes regarder", "labour_inspection"),
    ],
)
async def test_a_named_profile_opens_its_checklists(chat, language, text, profile):
    person = chat(language)
    screen = await person.last(text)
    title = tr(language, f"worker.profile.{profile}.title")
    assert screen.text.startswith(tr(language, "worker.profile_named", profile=title))
    assert tr(language, "worker.choose_form") in screen.text
    await person.say(payload("worker_form", f="general"))
    summary = await person.say(payload("worker_done"))
    assert summary[-1].text == tr(language, f"worker.profile.{profile}.next")


async def test_without_a_named_profile_the_worker_chooses_one(chat):
    screen = await chat("en").last("i am a professional, what signs should i look for")
    assert screen.text == tr("en", "worker.choose_profile")
    assert len(screen.buttons) == len(CONTENT.profiles)


async def test_a_hand_off_link_carries_only_language_and_association(chat, stores):
    person = chat("fr")
    summary = await person.say(payload("worker_done"))
    assert payload("worker_handoff") in [b.payload for b in summary[-1].buttons]
    languages = await person.last(payload("worker_handoff"))
    assert payload("worker_handoff", lang_code="en") in [b.payload for b in languages.buttons]
    associations = await person.last(payload("worker_handoff", lang_code="en"))
    assert payload("worker_handoff", lang_code="en", a="ccem") in [b.payload for b in associations.buttons]
    ready = await person.last(payload("worker_handoff", lang_code="en", a="ccem"))
    assert ready.handoff == "h-en-ccem"
    assert ready.text.startswith(tr("fr", "worker.handoff.ready", name="x").split("\n")[0])


async def test_the_link_opens_the_assistant_for_the_person(chat, stores):
    person = chat()
    opened = await person.last("/start h-en-ccem")  # parsed by the pipeline, as on every channel
    assert opened.language == "en" and "CCEM" in opened.text
    asked = await person.last(payloads.ASSOCIATION)
    assert asked.text == tr("en", "safety.question")
    await person.say(payloads.safety_answer("safe"))  # one tap: the questions follow at once
    await person.say("Lyon")
    await person.say(payload("handover_answer", v="no"))
    proposal = await person.last(payload("handover_answer", v="sexual"))
    assert "CCEM" in proposal.text, "the worker's association comes first, even for another form"


async def test_a_worker_refers_a_person_who_agrees(chat, stores):
    person = chat("en", safe=True)
    screens = await person.say(payload("handover_refer"))
    assert screens[0].text == tr("en", "handover.refer.intro")
    assert screens[-1].text == tr("en", "handover.ask.departement")
    for step in ("Lyon", payload("handover_answer", v="no"), payload("handover_answer", v="sexual")):
        await person.say(step)
    await person.say(payload("handover_answer", v="amicale_du_nid"))
    await person.say(payload("handover_answer", v="anonymous"))
    consent = await person.last(payload("handover_needs_done"))
    assert tr("en", "handover.field.by_worker") in consent.text
    assert "69 Rhône" in consent.text


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
    assert payload("handover_refer") in [button.payload for button in screens[-1].buttons]


async def test_toggles_edit_in_place_and_untick(chat):
    person = chat("en")
    await person.say(payload("worker_profile", p="labour_inspection"))
    opened = await person.last(payload("worker_form", f="labour"))
    first = CONTENT.forms["labour"][0]
    ticked = await person.last(payload("worker_toggle", i=first.id))
    assert Directive.EDIT in ticked.directives and ticked.text == opened.text
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
