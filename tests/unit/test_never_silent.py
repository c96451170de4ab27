"""The bot answers from the static fallback whenever the engine fails, and never floods back."""

from __future__ import annotations

import socket

import pytest

from bot.conversation import ConversationService, Person
from bot.engine import EngineClient
from bot.flood import FloodGate
from bot.language_detection import LanguageDetector
from bot.session_memory import LanguageMemory
from core.common_screens import static_fallback
from core.i18n import tr
from core.keyed_hash import KeyedHasher
from core.screens import Directive, Screen
from tests.support.fake_engine import FakeEngine

KEY = "x" * 32


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


def service_for(
    url: str, detector: LanguageDetector, timeout: float = 1.0, flood=None
) -> ConversationService:
    return ConversationService(
        EngineClient(url, "token", timeout), KeyedHasher(KEY), detector, LanguageMemory(3600), flood
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_engine_down_gives_the_static_fallback_with_emergency_numbers(detector):
    service = service_for(f"http://127.0.0.1:{free_port()}", detector)
    screens = await service.handle_text(Person("test", "1", "en"), "hello there, I need help")
    assert screens == [static_fallback("en")]
    assert "112" in screens[0].text and "114" in screens[0].text and "119" in screens[0].text
    assert len(screens[0].buttons) == 6


async def test_slow_engine_gives_the_fallback_in_the_detected_language(detector):
    async with FakeEngine(delay=2.0) as engine:
        service = service_for(engine.url, detector, timeout=0.3)
        screens = await service.handle_text(Person("test", "1"), "je dors dehors ce soir")
    assert screens == [static_fallback("fr")]


@pytest.mark.parametrize(("replies", "status"), [([], 200), ([{"text": "x"}], 500)])
async def test_empty_or_failed_engine_answer_gives_the_fallback(detector, replies, status):
    async with FakeEngine(replies=replies, status=status) as engine:
        screens = await service_for(engine.url, detector).handle_text(Person("test", "1", "fr"), "bonjour")
    assert screens == [static_fallback("fr")]


async def test_engine_receives_a_pseudonym_and_language_hints_not_the_raw_id(detector):
    reply = Screen("ok", "en", intent="greet").to_payload()
    async with FakeEngine(replies=[{"recipient_id": "x", "custom": reply}]) as engine:
        screens = await service_for(engine.url, detector).handle_text(
            Person("telegram", "987654321", "en-GB"), "I have nowhere to sleep tonight"
        )
    assert screens == [Screen("ok", "en", intent="greet")]
    body = engine.received[0]
    assert body["sender"] == KeyedHasher(KEY).pseudonym("telegram", "987654321")
    assert "987654321" not in str(body)
    hints = {key: body["metadata"][key] for key in ("channel", "client_language")}
    assert hints == {"channel": "telegram", "client_language": "en"}
    assert "en" in (body["metadata"]["detected_language"], body["metadata"]["guessed_language"])


async def test_erase_directive_forgets_the_engine_state(detector):
    reply = Screen("done", "fr", directives=frozenset({Directive.ERASE})).to_payload()
    async with FakeEngine(replies=[{"custom": reply}]) as engine:
        service = service_for(engine.url, detector)
        await service.handle_text(Person("test", "7"), "/menu_erase")
    assert engine.forgotten == [KeyedHasher(KEY).pseudonym("test", "7")]


async def test_flood_is_answered_once_and_danger_still_gets_through(detector):
    reply = Screen("ok", "fr").to_payload()
    async with FakeEngine(replies=[{"custom": reply}]) as engine:
        service = service_for(engine.url, detector, flood=FloodGate(2, 60))
        person = Person("test", "9", "fr")
        answers = [await service.handle_text(person, f"message {i}") for i in range(5)]
        danger = await service.handle_text(person, "au secours il va me tuer")
    assert answers[:2] == [[Screen("ok", "fr")]] * 2
    assert answers[2][0].text == tr("fr", "flood.slow_down")
    assert answers[3:] == [[], []]
    assert len(engine.received) == 3  # two before the flood, then the danger message
    assert danger == [Screen("ok", "fr")]


async def test_per_person_memory_is_pruned_while_running(detector):
    reply = Screen("ok", "fr").to_payload()
    async with FakeEngine(replies=[{"custom": reply}]) as engine:
        flood = FloodGate(5, 1)
        service = service_for(engine.url, detector, flood=flood)
        await service.handle_text(Person("test", "a"), "bonjour")
        assert flood._windows
        service._last_pruned = -(10**9)
        flood._clock = lambda: 10**9
        await service.handle_text(Person("test", "b"), "bonjour")
    assert list(flood._windows) == [KeyedHasher(KEY).pseudonym("test", "b")]
