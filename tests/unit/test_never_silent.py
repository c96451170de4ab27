"""The pipeline answers from the static screens whenever the engine fails, and never floods back."""

from __future__ import annotations

from bot.turn.inputs import Person
from core.common_screens import emergency, static_fallback
from core.i18n import tr
from core.keyed_hash import KeyedHasher
from core.screens import Screen
from tests.support.fake_engine import FakeEngine
from tests.support.pipeline import console_runtime, local_settings
from tests.support.ports import free_port


async def test_engine_down_gives_the_static_fallback_with_emergency_numbers(settings, tmp_path):
    local = local_settings(settings, tmp_path, f"http://127.0.0.1:{free_port()}", engine_timeout=1.0)
    async with console_runtime(local) as chat:
        screens, _ = await chat.exchange(Person("test", "1", "en"), "hello there, I need help")
    assert screens == [static_fallback("en")]
    assert "112" in screens[0].text and "114" in screens[0].text and "119" in screens[0].text
    assert len(screens[0].buttons) == 6


async def test_slow_engine_gives_the_fallback_in_the_detected_language(settings, tmp_path):
    async with FakeEngine(delay=2.0) as engine:
        local = local_settings(settings, tmp_path, engine.url, engine_timeout=0.3)
        async with console_runtime(local) as chat:
            screens, _ = await chat.exchange(Person("test", "1"), "je dors dehors ce soir")
    assert screens == [static_fallback("fr")]


async def test_danger_with_the_engine_down_gives_the_emergency_screen(settings, tmp_path):
    local = local_settings(settings, tmp_path, f"http://127.0.0.1:{free_port()}", engine_timeout=1.0)
    async with console_runtime(local) as chat:
        screens, _ = await chat.exchange(Person("test", "1", "fr"), "au secours il va me tuer")
    assert screens == [emergency("fr", "danger")]


async def test_empty_or_failed_engine_answer_gives_the_fallback(settings, tmp_path):
    for index, (replies, status) in enumerate([([], 200), ([{"text": "x"}], 500)]):
        async with FakeEngine(replies=replies, status=status) as engine:
            local = local_settings(settings, tmp_path / str(index), engine.url)
            (tmp_path / str(index)).mkdir()
            async with console_runtime(local) as chat:
                screens, _ = await chat.exchange(Person("test", "1", "fr"), "bonjour")
        assert screens == [static_fallback("fr")]


async def test_engine_receives_a_pseudonym_and_language_hints_not_the_raw_id(settings, tmp_path):
    reply = Screen("ok", "en", intent="greet").to_payload()
    async with FakeEngine(replies=[{"recipient_id": "x", "custom": reply}]) as engine:
        local = local_settings(settings, tmp_path, engine.url)
        async with console_runtime(local) as chat:
            screens, _ = await chat.exchange(Person("telegram", "987654321", "en-GB"), "I need a bed")
    assert screens == [Screen("ok", "en", intent="greet")]
    body = engine.received[0]
    assert body["sender"] == KeyedHasher(settings.pseudonym_key).pseudonym("telegram", "987654321")
    assert "987654321" not in str(body)
    hints = {key: body["metadata"][key] for key in ("channel", "client_language", "auto_erase_seconds")}
    assert hints == {"channel": "telegram", "client_language": "en", "auto_erase_seconds": None}
    assert "en" in (body["metadata"]["detected_language"], body["metadata"]["guessed_language"])


async def test_a_burst_of_identical_screens_is_shown_once(settings, tmp_path):
    looping = [{"custom": Screen("again", "fr").to_payload()}] * 10
    async with FakeEngine(replies=looping) as engine:
        local = local_settings(settings, tmp_path, engine.url)
        async with console_runtime(local) as chat:
            screens, _ = await chat.exchange(Person("test", "2", "fr"), "bonjour")
    assert screens == [Screen("again", "fr")]


async def test_flood_is_answered_once_and_danger_gets_the_static_emergency_screen(settings, tmp_path):
    reply = Screen("ok", "fr").to_payload()
    async with FakeEngine(replies=[{"custom": reply}]) as engine:
        local = local_settings(settings, tmp_path, engine.url, flood_max_messages=2, flood_window_seconds=60)
        async with console_runtime(local, flood_control=True) as chat:
            person = Person("test", "9", "fr")
            answers = [(await chat.exchange(person, f"message {i}"))[0] for i in range(5)]
            danger, _ = await chat.exchange(person, "au secours il va me tuer")
    assert answers[:2] == [[Screen("ok", "fr")]] * 2
    assert answers[2][0].text == tr("fr", "flood.slow_down")
    assert answers[3:] == [[], []]
    assert len(engine.received) == 2, "beyond the limit nothing reaches the engine, danger included"
    assert danger == [emergency("fr", "danger")]
