"""Handover through the trained model: free text to consent, edits, interruptions, status, withdrawal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import payloads
from core.i18n import tr
from core.payloads import make as payload
from core.screens import Directive
from storage.models import HandoverRow
from storage.stores import Stores

REQUESTS = {
    "en": "I want to talk to an association in Marseille, I work without being paid",
    "fr": "je veux parler à une association à Marseille, je travaille sans être payé",
}


def answer(value: str) -> str:
    return payload("handover_answer", v=value)


def count_requests(stores: Stores, pseudonym: str) -> int:
    with stores.handovers._engine.connect() as connection:
        query = select(func.count()).select_from(HandoverRow).where(HandoverRow.pseudonym == pseudonym)
        return connection.scalar(query)


async def answer_until_consent(person, language: str) -> list:
    """From the first question (under 18?) to the consent screen, at the contact level."""
    proposal = await person.last(answer("no"))
    assert "CCEM" in proposal.text, "Marseille + unpaid work: a labour association first"
    assert (await person.last(answer("ccem"))).text == tr(language, "handover.ask.level")
    assert (await person.last(answer("contact"))).text == tr(language, "handover.ask.alias")
    assert (await person.last("Sam")).text == tr(language, "handover.ask.contact")
    assert (await person.last(answer("phone"))).text == tr(language, "handover.ask.phone")
    unclear = await person.last("not a number")
    assert unclear.text.startswith(tr(language, "handover.unclear.phone"))
    assert (await person.last("06 12 34 56 78")).text == tr(language, "handover.ask.times")
    assert (await person.last(answer("afternoon"))).text == tr(language, "handover.ask.code")
    assert (await person.last("blue bird")).text == tr(language, "handover.ask.needs")
    ticked = await person.last(payload("handover_need", n="shelter"))
    assert Directive.EDIT in ticked.directives and ticked.buttons[0].title.startswith("☑")
    assert (await person.last(payload("handover_needs_done"))).text == tr(language, "handover.ask.message")
    return await person.say(payload("handover_skip"))


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_from_free_text_to_a_stored_request(chat, stores, language):
    person = chat(language, safe=True)
    first = await person.last(REQUESTS[language])
    assert first.text == tr(language, "handover.ask.minor"), "place and situation were taken from the text"
    (consent,) = await answer_until_consent(person, language)
    labels = [tr(language, f"handover.{m}") for m in ("form.labour", "need.shelter", "times.afternoon")]
    for shown in ("Sam", "+33 6 12 34 56 78", "blue bird", "13 Bouches-du-Rhône", *labels):
        assert shown in consent.text
    assert consent.protect
    pseudonym = person.pseudonym
    assert count_requests(stores, pseudonym) == 0, "nothing is stored before the person confirms"
    sent = await person.last(payload("handover_confirm"))
    assert Directive.HANDOVER_CHAT in sent.directives
    again = await person.last(payload("handover_confirm"))  # a double tap
    (request,) = stores.handovers.requests_of(pseudonym)
    name = stores.directory.get("ccem").name
    assert sent.text == tr(language, "handover.sent", name=name, reference=request.reference)
    assert again.text == tr(language, "handover.already_sent", name=name, reference=request.reference)
    assert count_requests(stores, pseudonym) == 1
    status = await person.last(payload("handover_status"))
    assert "CCEM" in status.text


async def test_a_last_answer_tapped_again_shows_the_consent_screen_again(chat, stores):
    """The first tap may have been answered after the person was shown the static screen (the
    bot gave up waiting): tapping again must not leave them without the consent screen."""
    person = chat("en", safe=True)
    await person.say(REQUESTS["en"])
    (consent,) = await answer_until_consent(person, "en")
    again = await person.last(payload("handover_skip"))
    assert again.text == consent.text and again.buttons == consent.buttons
    assert Directive.HANDOVER_CHAT in (await person.last(payload("handover_confirm"))).directives
    assert count_requests(stores, person.pseudonym) == 1


async def test_editing_an_answer_returns_to_the_consent_screen(chat, stores):
    person = chat("en", safe=True)
    await person.say(REQUESTS["en"])
    await answer_until_consent(person, "en")
    edit = await person.last(payload("handover_edit"))
    assert payload("handover_change", s="alias") in [b.payload for b in edit.buttons]
    assert (await person.last(payload("handover_change", s="alias"))).text == tr("en", "handover.ask.alias")
    consent = await person.last("Alex")
    assert "Alex" in consent.text and "Sam" not in consent.text and "blue bird" in consent.text


async def test_anonymous_level_asks_only_the_needs(chat, stores):
    person = chat("fr", safe=True)
    await person.say(payloads.ASSOCIATION)
    assert (await person.last("93200")).text == tr("fr", "handover.ask.minor")
    assert (await person.last(answer("yes"))).text == tr("fr", "handover.ask.form")
    proposal = await person.last(answer("begging"))
    assert "Hors la Rue" in proposal.text, "a minor forced to beg in Seine-Saint-Denis"
    await person.say(answer("hors_la_rue"))
    assert (await person.last(answer("anonymous"))).text == tr("fr", "handover.ask.needs")
    consent = await person.last(payload("handover_needs_done"))
    assert consent.text.startswith(
        tr("fr", "handover.consent.intro", name=stores.directory.get("hors_la_rue").name)
    )
    assert tr("fr", "handover.field.alias", value="").strip() not in consent.text


async def test_an_unknown_place_gets_a_clear_reply_and_national_is_offered(chat, stores):
    person = chat("en", safe=True)
    await person.say(payloads.ASSOCIATION)
    unclear = await person.last("qwzrtplk")
    assert unclear.text.startswith(tr("en", "handover.unclear.departement"))
    assert answer("-") in [b.payload for b in unclear.buttons]
    assert (await person.last(answer("-"))).text == tr("en", "handover.ask.minor")


async def test_danger_words_leave_the_questions(chat, stores):
    person = chat("en", safe=True)
    await person.say(REQUESTS["en"])
    await person.say(answer("no"))
    screens = await person.say("he is going to kill me")
    assert tr("en", "emergency.numbers") in screens[-1].text
    after = await person.last("Sam")  # no longer read as an answer to the form
    assert after.text != tr("en", "handover.ask.level")


async def test_cancel_sends_and_keeps_nothing(chat, stores):
    person = chat("en", safe=True)
    await person.say(REQUESTS["en"])
    cancelled = await person.last(payload("handover_cancel"))
    assert cancelled.text == tr("en", "handover.cancelled")
    assert count_requests(stores, person.pseudonym) == 0
    assert (await person.last(payload("handover_confirm"))).text == tr("en", "handover.nothing_to_send")


async def test_status_and_withdrawal(chat, stores):
    person = chat("en", safe=True)
    await person.say(REQUESTS["en"])
    await answer_until_consent(person, "en")
    await person.say(payload("handover_confirm"))
    question = await person.last("I want to withdraw my request")
    assert question.text == tr("en", "handover.withdraw.question")
    done = await person.last(payload("handover_withdraw_confirm"))
    assert done.text == tr("en", "handover.withdrawn")
    (request,) = stores.handovers.requests_of(person.pseudonym)
    status = await person.last(payload("handover_status"))
    assert tr("en", "handover.status.withdrawn", reference=request.reference, name="CCEM") in status.text


async def test_the_safety_question_comes_first_and_keeps_the_place(chat, stores):
    person = chat("en")
    asked = await person.last(REQUESTS["en"])
    assert asked.text == tr("en", "safety.question")
    assert (await person.last(payloads.safety_answer("safe"))).text == tr("en", "handover.ask.minor")


# First names common in the communities of the 11 languages, in Latin letters and in their own
# script. The trained model reads "Elena" and "Jing" as danger (0.76 and 1.00 when this was written).
FIRST_NAMES = [
    "Camille", "Sam", "Maria", "Joana", "Ioana", "Elena", "Nour", "Fatima", "نور", "فاطمة", "Wei",
    "Jing", "伟", "Ivan", "Иван", "Olena", "Олена", "Dimitar", "Димитър", "Linh",
]  # fmt: skip


async def reach_the_alias_question(person) -> None:
    """From free text to the alias question, at the contact level."""
    await person.say(REQUESTS["en"])
    await person.say(answer("no"))
    await person.say(answer("ccem"))
    asked = await person.last(answer("contact"))
    assert asked.text == tr(asked.language, "handover.ask.alias")


@pytest.mark.parametrize("name", FIRST_NAMES)
async def test_a_first_name_typed_as_the_alias_is_taken_as_the_alias(chat, stores, name):
    person = chat("en", safe=True)
    await reach_the_alias_question(person)
    reply = await person.last(name)
    assert reply.text == tr(reply.language, "handover.ask.contact"), "the name was not read as danger"


async def test_danger_typed_as_the_alias_still_leaves_the_questions(chat, stores):
    person = chat("en", safe=True)
    await reach_the_alias_question(person)
    screens = await person.say("il va me tuer")
    assert screens[-1].text == tr(screens[-1].language, "emergency.numbers")
    after = await person.last("Sam")
    assert after.text != tr(after.language, "handover.ask.contact"), "the questions were left"


async def test_a_town_given_in_french_keeps_the_conversation_in_its_language(chat, stores):
    """Tried as a new user: "Marseille" typed as the answer to "where are you?" in Romanian."""
    person = chat(safe=True)
    first = await person.last("vreau să vorbesc cu o asociație, lucrez fără să fiu plătită")
    assert first.text.startswith(tr("ro", "handover.ask.departement")[:20])
    minor = await person.last("Marseille")
    assert (minor.text, minor.language) == (tr("ro", "handover.ask.minor"), "ro")
