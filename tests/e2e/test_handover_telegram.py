"""Handover end to end: the person's chat on the stand-in, the association in its inbox, and its
notice group, side by side.

The real engine and action server run behind; the request goes through the database outbox; the
association works in the inbox over HTTP; the group only ever sees notices.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import uuid

import pytest

from core import payloads
from core.handover_messages import GROUP_PREFIX, REPLY_PAYLOAD
from core.i18n import tr
from core.payloads import make as payload
from tests.e2e.telegram_harness import button_payloads, running_bot
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.inbox import Account, accounts_of, ready_account
from tests.support.inbox_client import InboxClient, services_for, shown

PERSON = 515151
GROUP = -100515151
MEMBER = 626262
ASKING = "I want to talk to an association in Marseille, I work without being paid"
# Not enrolled by the conversation tests, so no earlier request waits for this association.
PARTNER = "alc_acse"
CODE_PHRASE = "violet kite 51"
NOTICE_REFERENCE = re.compile(r"/requests/([A-Z0-9]{6})")


@pytest.fixture
async def api():
    async with FakeBotAPI() as stand_in:
        yield stand_in


@pytest.fixture
def handover_settings(settings):
    return dataclasses.replace(settings, delivery_sweep_seconds=0.3, flood_max_messages=100)


def to(chat: int):
    return lambda params: str(params.get("chat_id")) == str(chat)


async def step(api: FakeBotAPI, action, chat: int = PERSON, count: int = 1) -> list[dict]:
    """Do something and return the bot's next messages to that chat."""
    api.mark()
    action()
    return [
        call.params for call in await api.wait_for("sendMessage", count=count, predicate=to(chat), timeout=20)
    ]


async def enroll(api: FakeBotAPI, runtime, association: str) -> tuple[InboxClient, Account]:
    """The association's coordinator in the inbox, and its notice group enrolled then confirmed there."""
    stores, settings = runtime.stores, runtime.settings
    accounts = accounts_of(stores, settings.data_key, runtime.hasher)
    account = ready_account(accounts, association, login=f"e2e-{association}-{uuid.uuid4().hex[:8]}")
    inbox = InboxClient(services_for(stores, settings))
    assert (await inbox.login(account)).status_code == 200
    code = stores.directory.new_enrollment_code(association)
    waiting = tr("fr", "handover.group.enrolled_waiting", name=stores.directory.get(association).name)
    api.mark()
    api.send_group_text(GROUP, MEMBER, f"/enroll {code}")
    await api.wait_for("sendMessage", predicate=lambda p: to(GROUP)(p) and p["text"] == waiting, timeout=20)
    assert stores.directory.group_of(association) is None, "no notice before a coordinator confirms"
    confirmed = await inbox.post("/members/group-confirm")
    assert shown("inbox.group.confirmed") in confirmed.text
    return inbox, account


def reference_of(notice: dict) -> str:
    found = NOTICE_REFERENCE.search(notice["text"])
    assert found, "a notice links to its request in the inbox"
    return found.group(1)


async def consent_in_chat(api: FakeBotAPI) -> dict:
    """The person's side, from the first message to the consent screen (contact level, by phone)."""
    press = lambda data: lambda: api.press_button(PERSON, data, language_code="en")  # noqa: E731
    say = lambda text: lambda: api.send_text(PERSON, text, language_code="en")  # noqa: E731
    (safety,) = await step(api, say(ASKING))
    assert safety["text"] == tr("en", "safety.question")
    answered = await step(api, press(payloads.safety_answer("safe")), count=2)  # one tap, then the form
    assert answered[-1]["text"] == tr("en", "handover.ask.minor")
    await step(api, press(payload("handover_answer", v="no")))
    await step(api, press(payload("handover_answer", v=PARTNER)))
    await step(api, press(payload("handover_answer", v="contact")))
    await step(api, say("Sam"))
    await step(api, press(payload("handover_answer", v="phone")))
    await step(api, say("0612345678"))
    await step(api, press(payload("handover_answer", v="any")))
    await step(api, say(CODE_PHRASE))
    api.mark()
    api.press_button(PERSON, payload("handover_need", n="papers"), language_code="en")
    await api.wait_for("editMessageReplyMarkup", predicate=to(PERSON))
    await step(api, press(payload("handover_needs_done")))
    (consent,) = await step(api, press(payload("handover_skip")))
    return consent


async def test_from_the_chat_to_the_inbox_and_back(api, handover_settings, engine):
    async with running_bot(api, handover_settings) as runtime:
        inbox, _ = await enroll(api, runtime, PARTNER)
        consent = await consent_in_chat(api)
        assert "Sam" in consent["text"] and "+33 6 12 34 56 78" in consent["text"]

        api.mark()
        api.press_button(PERSON, payload("handover_confirm"), language_code="en")
        notice = (await api.wait_for("sendMessage", predicate=to(GROUP), timeout=20))[0].params
        sent = (await api.wait_for("sendMessage", predicate=to(PERSON)))[0].params
        assert tr("en", "handover.sent", name="X", reference="Y").split(":")[0] in sent["text"]
        reference = reference_of(notice)
        for private in ("Sam", "12 34 56 78", CODE_PHRASE, str(PERSON)):
            assert private not in notice["text"], "the group gets a notice, never a personal detail"
        assert button_payloads(notice) == [], "nothing is done in the group"

        # The inbox: the request in the list, its consented fields on its own page only.
        listed = await inbox.http.get("/")
        assert reference in listed.text and "Sam" not in listed.text
        detail = await inbox.http.get(f"/requests/{reference}")
        assert "Sam" in detail.text and "+33 6 12 34 56 78" in detail.text and CODE_PHRASE in detail.text

        # Accept in the inbox: the person is told, discreetly, in English.
        api.mark()
        accepted = await inbox.act(reference, "accept")
        assert shown("inbox.done.accepted") in accepted.text
        told = (await api.wait_for("sendMessage", predicate=to(PERSON), timeout=20))[0].params
        expected = tr("en", "handover.person.accepted", name="", reference=reference)
        assert told["text"].startswith(expected[:20])
        assert told["disable_notification"] is True and told["protect_content"] is True

        # The association writes in the inbox; the person answers back through the bot.
        api.mark()
        await inbox.act(reference, "reply", text="We can meet on Tuesday")
        relayed = (await api.wait_for("sendMessage", predicate=to(PERSON), timeout=20))[0].params
        assert "We can meet on Tuesday" in relayed["text"]
        assert REPLY_PAYLOAD in button_payloads(relayed)
        await step(api, lambda: api.press_button(PERSON, REPLY_PAYLOAD, language_code="en"))
        api.mark()
        api.send_text(PERSON, "Tuesday is fine", language_code="en")
        new_message = (await api.wait_for("sendMessage", predicate=to(GROUP), timeout=20))[0].params
        assert "Tuesday is fine" not in new_message["text"] and reference in new_message["text"]
        thread = await inbox.http.get(f"/requests/{reference}")
        assert "Tuesday is fine" in thread.text and "We can meet on Tuesday" in thread.text

        # Quick exit with an open request: the group is told at once not to make contact.
        api.mark()
        api.send_text(PERSON, "/exit", language_code="en")
        paused = (await api.wait_for("sendMessage", predicate=to(GROUP), timeout=20))[0].params
        assert paused["text"] == tr("fr", "handover.group.paused", reference=reference)
        assert shown("inbox.detail.paused") in (await inbox.http.get(f"/requests/{reference}")).text
        await inbox.http.aclose()


async def test_buttons_and_replies_in_a_group_only_point_to_the_inbox(api, handover_settings, engine):
    async with running_bot(api, handover_settings) as runtime:
        api.mark()
        sent = api.send_group_text(GROUP, MEMBER, "hello")
        api.press_group_button(GROUP, MEMBER, f"{GROUP_PREFIX}a:ABCDEF", sent)
        (answered,) = await api.wait_for("answerCallbackQuery")
        pointer = tr("fr", "handover.group.use_inbox", link=runtime.settings.inbox_url)
        assert answered.params["text"] == pointer
        assert not api.calls_of("sendMessage", since_mark=True), "a group's chatter never reaches the engine"


async def test_a_group_that_is_not_enrolled_cannot_answer(api, handover_settings, engine):
    async with running_bot(api, handover_settings):
        (reply,) = await step(
            api, lambda: api.send_group_text(-100999, MEMBER, "/enroll WRONGCODE"), chat=-100999
        )
        assert reply["text"] == tr("fr", "handover.group.enroll_failed")


async def test_a_worker_shows_a_link_and_qr_code_that_opens_the_assistant(api, handover_settings, engine):
    worker, newcomer = PERSON + 1, PERSON + 2
    with_web_chat = dataclasses.replace(handover_settings, webchat_public_url="https://chat.example")
    async with running_bot(api, with_web_chat) as runtime:
        stores = runtime.stores
        inbox, _ = await enroll(api, runtime, PARTNER)
        await inbox.http.aclose()
        api.mark()
        api.send_text(worker, "/menu_professional")
        await api.wait_for("sendMessage", predicate=to(worker))
        api.mark()
        api.press_button(worker, payload("worker_handoff", lang_code="en", a=PARTNER))
        (shown,) = [c.params for c in await api.wait_for("sendMessage", predicate=to(worker))]
        photos = [c.params for c in await api.wait_for("sendPhoto", count=2, predicate=to(worker))]
        link = f"https://t.me/{api.bot_user['username']}?start=h-en-{PARTNER}"
        web = f"https://chat.example/#h-en-{PARTNER}"
        assert link in shown["text"] and shown["text"].endswith(web), "Telegram, and the web chat without it"
        assert tr("fr", "handoff.web") in shown["text"], "in the worker's language"
        assert len(photos) == 2 and all(photo["protect_content"] is True for photo in photos)

        (opened,) = await step(api, lambda: api.send_text(newcomer, f"/start h-en-{PARTNER}"), chat=newcomer)
        assert opened["text"].startswith(tr("en", "handover.via", name="x").split(":")[0])
        assert stores.directory.get(PARTNER).name in opened["text"]


async def confidential_request(api: FakeBotAPI, person: int, times: str) -> str:
    """Through the real engine: a confidential request with these safe times; returns its reference."""
    press = lambda data: lambda: api.press_button(person, data, language_code="en")  # noqa: E731
    say = lambda text: lambda: api.send_text(person, text, language_code="en")  # noqa: E731
    first = await step(api, say(ASKING), chat=person)
    if first[-1]["text"] == tr("en", "safety.question"):
        await step(api, press(payloads.safety_answer("safe")), chat=person, count=2)
    await step(api, press(payload("handover_answer", v="no")), chat=person)
    await step(api, press(payload("handover_answer", v=PARTNER)), chat=person)
    await step(api, press(payload("handover_answer", v="confidential")), chat=person)
    await step(api, say("Sam"), chat=person)
    await step(api, press(payload("handover_answer", v=times)), chat=person)
    await step(api, press(payload("handover_skip")), chat=person)  # no code phrase
    await step(api, press(payload("handover_needs_done")), chat=person)
    await step(api, press(payload("handover_skip")), chat=person)  # no message: the consent screen
    api.mark()
    api.press_button(person, payload("handover_confirm"), language_code="en")
    notice = (await api.wait_for("sendMessage", predicate=to(GROUP), timeout=20))[0].params
    return reference_of(notice)


async def accept_and_reply(inbox: InboxClient, reference: str, words: str) -> None:
    """The association accepts the request in its inbox, then writes to the person."""
    assert shown("inbox.done.accepted") in (await inbox.act(reference, "accept")).text
    assert shown("inbox.done.reply_queued") in (await inbox.act(reference, "reply", text=words)).text


async def test_tried_as_a_new_user_erase_with_a_held_answer_then_danger_while_answering(
    api, handover_settings, engine
):
    """The issue's walk-through: the chat stays empty after the erase button, the group is told not
    to make contact; in a new request, "il va me tuer" after "Answer them" brings the numbers and
    the group sees nothing."""
    person = PERSON + 10
    async with running_bot(api, handover_settings) as runtime:
        inbox, _ = await enroll(api, runtime, PARTNER)
        first = await confidential_request(api, person, times="first")
        await accept_and_reply(inbox, first, "We can meet you at the station")
        await asyncio.sleep(1.0)
        assert not [p for p in api.sent_messages(person) if "station" in p["text"]], "held until they write"

        api.mark()
        api.press_button(person, payloads.ERASE, language_code="en")
        paused = tr("fr", "handover.group.paused", reference=first)
        told = lambda p: to(GROUP)(p) and p["text"] == paused  # noqa: E731
        await api.wait_for("sendMessage", predicate=told, timeout=20)
        await asyncio.sleep(2.0)  # several delivery rounds
        assert api.remaining_ids(person) == set(), "the chat is empty and stays empty"
        assert not api.calls_of("sendMessage", since_mark=True) or all(
            to(GROUP)(c.params) for c in api.calls_of("sendMessage", since_mark=True)
        )

        second = await confidential_request(api, person, times="any")
        await accept_and_reply(inbox, second, "Hello, we are here for you")
        relayed = await api.wait_for(
            "sendMessage", predicate=lambda p: to(person)(p) and "here for you" in p["text"], timeout=20
        )
        assert REPLY_PAYLOAD in button_payloads(relayed[-1].params)
        await step(api, lambda: api.press_button(person, REPLY_PAYLOAD, language_code="en"), chat=person)
        api.mark()
        danger = lambda: api.send_text(person, "il va me tuer", language_code="en")  # noqa: E731
        (answer,) = await step(api, danger, chat=person)
        assert "112" in answer["text"] and "114" in answer["text"], "the emergency numbers come back"
        await asyncio.sleep(1.0)
        assert not [c for c in api.calls_of("sendMessage", since_mark=True) if to(GROUP)(c.params)], (
            "the association sees nothing"
        )
        await inbox.http.aclose()
