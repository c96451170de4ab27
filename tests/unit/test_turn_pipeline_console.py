"""The pipeline's safety rules on the console path: the same code as Telegram, another channel."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.turn.inputs import Incoming, Person
from core.clock import utc_now
from core.common_screens import emergency, static_fallback
from core.handover import Draft
from core.handover_messages import REPLY_PAYLOAD
from core.i18n import tr
from core.screens import Screen
from storage.models import OutboxRow
from tests.support.fake_engine import FakeEngine
from tests.support.pipeline import local_settings, runtime_with_console

OK = {"custom": Screen("ok", "fr", intent="greet").to_payload()}
GREETING = [Screen("ok", "fr", intent="greet")]


@pytest.fixture
async def greeter(settings, tmp_path):
    """A console runtime on a fresh database, with an engine stand-in that greets."""
    async with FakeEngine(replies=[OK]) as engine:  # noqa: SIM117 - the runtime needs its address
        async with runtime_with_console(local_settings(settings, tmp_path, engine.url)) as (runtime, chat):
            yield engine, runtime, chat


async def test_the_code_word_erases_and_never_reaches_the_engine(greeter):
    engine, _, chat = greeter
    person = Person("console", "cw")
    assert (await chat.exchange(person, "bonjour"))[0] == GREETING
    saved, _ = await chat.exchange(person, "/codeword Tournesol")
    assert saved[0].text == tr("fr", "codeword.saved")
    shown, erased = await chat.exchange(person, "tournesol !")
    assert shown == [] and erased == 2, "the greeting and the confirmation are erased"
    assert all("ournesol" not in str(received) for received in engine.received)


async def test_danger_after_answer_them_gets_the_numbers_and_is_never_relayed(greeter):
    _, runtime, chat = greeter
    person = Person("console", "relay", "fr")
    stores = runtime.stores
    stores.directory.enroll(stores.directory.new_enrollment_code("ruelle"), -1, "member")
    draft = Draft("ruelle", "confidential", "fr", "13")
    reference = stores.handovers.create(chat.pipeline.pseudonym(person), draft, uuid.uuid4().hex).reference
    assert stores.handovers.answer(reference, "ruelle", "member", accept=True) == "accepted"
    opened, _ = await chat.exchange(person, REPLY_PAYLOAD, button=True)
    assert opened[0].text == tr("fr", "handover.reply.write")
    danger, _ = await chat.exchange(person, "au secours il va me tuer")
    after, _ = await chat.exchange(person, "bonjour")
    with stores.db.connect() as connection:
        relays = connection.scalar(select(func.count()).where(OutboxRow.kind == "relay"))
    assert danger == [emergency("fr", "danger")], "the engine's answer was not the emergency screen"
    assert relays == 0, "nothing reached the association"
    assert after == GREETING, "the window closed: the next text goes to the engine"


async def test_hostile_lines_each_get_one_answer(greeter):
    engine, _, chat = greeter
    hostile = ["a\ud800b", "/menu{" + "[" * 3000 + "}", "x" * 10_000, "\u202e\x00\x1b[31m", ""]
    answers = [await chat.exchange(Person("console", "h"), text) for text in hostile]
    assert all(len(screens) == 1 for screens, _ in answers)
    assert all(len(r["message"]) <= 1000 and not r["message"].startswith("/") for r in engine.received)


async def test_what_was_shown_is_recorded_even_when_a_later_screen_fails(settings, tmp_path):
    """H1: a split turn that breaks halfway still records every message it did show."""
    from bot.console import ConsoleChannel
    from bot.turn.channel import ChannelUnavailableError

    class BreaksOnTheSecond(ConsoleChannel):
        calls = 0

        async def send(self, chat, screen):
            self.calls += 1
            if self.calls == 2:
                raise ChannelUnavailableError("rate limited")
            return await super().send(chat, screen)

    two = [{"custom": Screen(text, "fr").to_payload()} for text in ("one", "two")]
    async with FakeEngine(replies=two) as engine:  # noqa: SIM117 - the runtime needs its address
        async with runtime_with_console(local_settings(settings, tmp_path, engine.url)) as (runtime, chat):
            channel = BreaksOnTheSecond()
            runtime.attach(channel)
            person = Person("console", "split")
            await chat.pipeline.handle(Incoming(person, "split", "bonjour"), channel)
            await chat.pipeline.maintain()
            recorded = runtime.stores.ledger.messages_of(chat.pipeline.pseudonym(person))
    shown, _ = channel.take("split")
    assert [screen.text for screen in shown] == ["one", static_fallback("fr").text]
    assert {entry.message_id for entry in recorded} == {1, 2}, "the first screen and the fallback"


async def test_the_upkeep_never_repeats_an_exit_under_way(greeter):
    """An exit still deleting is not an "unfinished" one: the upkeep task leaves it alone."""
    import asyncio

    from bot.console import ConsoleChannel

    class SlowToDelete(ConsoleChannel):
        async def delete(self, chat, message_ids):
            await asyncio.sleep(0.3)
            return await super().delete(chat, message_ids)

    _, runtime, chat = greeter
    channel = SlowToDelete()
    runtime.attach(channel)
    person = Person("console", "slow")
    await chat.pipeline.handle(Incoming(person, "slow", "bonjour"), channel)
    exiting = asyncio.ensure_future(chat.pipeline.handle(Incoming(person, "slow", "/exit"), channel))
    await asyncio.sleep(0.1)
    await chat.pipeline.maintain()  # runs while the exit deletes
    await exiting
    shown, erased = channel.take("slow")
    assert len(shown) == 1 and erased == 1, "deleted once"


async def test_the_safety_answer_is_followed_by_the_kept_request_in_the_same_turn(settings, tmp_path):
    """Issue 14: one tap on the safety question, and the answer to the question follows at once."""
    from core.screens import Directive

    ack = Screen("merci", "fr", then="/rights_work", erase_after=300,
                 directives=frozenset({Directive.AUTO_ERASE_CHANGED}))  # fmt: skip
    answer = Screen("le salaire", "fr", intent="rights_work")

    def engine_reply(body):
        screen = ack if body["message"].startswith("/safety_answer") else answer
        return [{"custom": screen.to_payload()}]

    async with FakeEngine(replies=engine_reply) as engine:  # noqa: SIM117 - the runtime needs its address
        async with runtime_with_console(local_settings(settings, tmp_path, engine.url)) as (runtime, chat):
            person = Person("console", "one-tap")
            press = Incoming(person, "one-tap", '/safety_answer{"safety":"watched"}', button=True)
            await chat.pipeline.handle(press, chat.channel)
            shown, _ = chat.channel.take("one-tap")
            pseudonym = chat.pipeline.pseudonym(person)
            recorded = runtime.stores.ledger.messages_of(pseudonym)
            in_five_minutes = runtime.stores.ledger.due(utc_now() + timedelta(seconds=301))
    assert [screen.text for screen in shown] == ["merci", "le salaire"]
    assert [body["message"] for body in engine.received] == [press.text, "/rights_work"]
    assert engine.received[1]["metadata"]["auto_erase_seconds"] == 300, "the new delay applies"
    assert all(screen.then is None for screen in shown[1:]), "a follow-on never asks for another"
    assert len(recorded) == 2, "both screens recorded in the turn"
    assert {e.message_id for e in in_five_minutes if e.pseudonym == pseudonym} == {1, 2}


async def test_a_follow_on_is_only_ever_a_payload(greeter):
    """Typed words are never replayed: they were checked for danger when they came."""
    engine, _, chat = greeter
    engine.replies = [{"custom": Screen("merci", "fr", then="aidez-moi vite").to_payload()}]
    await chat.pipeline.handle(Incoming(Person("console", "words"), "words", "bonjour"), chat.channel)
    shown, _ = chat.channel.take("words")
    assert [screen.text for screen in shown] == ["merci"] and len(engine.received) == 1
