"""No message text, pseudonym or raw id in any log, at any level, exceptions included (audit M2, L11).

A unique marker goes through whole conversations on Telegram, and hostile inputs go straight to
the engine (forged payloads, a deeply nested JSON that breaks Rasa's pipeline, a stale button
that trips the circuit breaker); the bot itself logs an exception that quotes the text. No log
file may then hold the marker, the pseudonym or the raw id, and every log file is 0600.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import stat
import time
import uuid
from pathlib import Path

from app.logging_setup import configure_logging
from bot.console import ConsoleChat
from bot.engine import EngineClient, EngineUnavailableError
from bot.turn.inputs import Person
from core import payloads
from core.keyed_hash import KeyedHasher
from tests.e2e.telegram_harness import running_bot
from tests.support.fake_bot_api import FakeBotAPI

RAW_USER_ID = 770011223


class Recorder(logging.Handler):
    """Keeps every formatted record that passes the production log levels."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def letters_marker() -> str:
    """A marker with no hex run and no digits: only the filters, not the last guard, can hide it."""
    return "zq" + "".join(random.choice("ghjkmnpqrstvwxyz") for _ in range(14))


def hostile_texts(marker: str) -> list[str]:
    """Inputs that made Rasa log the user's text (audit section 4)."""
    nested = "[" * 5000 + "]" * 5000
    return [
        f"/menu{{{marker} my address is 12 rue X",
        f'/menu{{"a":{nested}, "note": "{marker} my address is 12 rue X"}}',  # RecursionError in Rasa
        f'/handover_send{{"x":"{marker}"}}',
        f"/codeword {marker}",
        "/handover_needs_done",  # a stale form button: the circuit breaker trips (audit H4)
        f"{marker} " * 2000,
    ]


def all_logs(log_dir: Path) -> dict[Path, str]:
    """Every log file, rotated ones included."""
    return {path: path.read_text(errors="replace") for path in sorted(log_dir.glob("*.log*"))}


async def wait_for_text(path: Path, needle: str, timeout: float = 10) -> bool:
    """The children's output reaches their log through a pipe: wait until `needle` is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and needle in path.read_text(errors="replace"):
            return True
        await asyncio.sleep(0.2)
    return False


async def test_marker_and_raw_id_are_absent_from_all_logs(settings, engine):
    marker = f"zq{uuid.uuid4().hex}"
    configure_logging(logging.INFO)  # the production configuration
    recorder = Recorder()
    logging.getLogger().addHandler(recorder)
    try:
        async with FakeBotAPI() as api, running_bot(api, settings) as runtime:
            for text in (
                f"bonjour {marker}",
                f"je dors dehors {marker}",
                f"il va me frapper {marker}",
                marker,
            ):
                api.mark()
                api.send_text(RAW_USER_ID, text)
                await api.wait_for("sendMessage")
            api.mark()
            api.press_button(RAW_USER_ID, payloads.RIGHTS)
            await api.wait_for("sendMessage")
        await ConsoleChat(runtime.pipeline).exchange(Person("console", "someone"), f"console {marker}")
    finally:
        logging.getLogger().removeHandler(recorder)

    assert recorder.lines, "nothing was logged at all: the recorder is not attached"
    engine_logs = "".join(path.read_text(errors="replace") for path in settings.log_dir.glob("*.log"))
    assert "starting the Rasa server" in engine_logs, "engine and action server logs are missing"
    for source, content in (("bot", "\n".join(recorder.lines)), ("engine/actions", engine_logs)):
        assert marker not in content, f"message text found in {source} logs"
        assert str(RAW_USER_ID) not in content, f"raw Telegram id found in {source} logs"


async def test_hostile_inputs_and_exceptions_leave_no_contents_in_any_log_file(settings, engine):
    marker = letters_marker()
    pseudonym = KeyedHasher(settings.pseudonym_key).pseudonym("telegram", RAW_USER_ID)
    configure_logging(logging.DEBUG, log_file=settings.log_dir / "bot.log")  # the bot, into a file
    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=20)
    try:
        for text in hostile_texts(marker):
            with contextlib.suppress(EngineUnavailableError):  # the bot shows its static fallback
                await client.send(pseudonym, text, {"channel": "telegram", "client_language": "fr"}, "fr")
        log_the_bot_failing_on(marker, pseudonym)
    finally:
        await client.close()
        configure_logging(logging.INFO)
    engine_log = settings.log_dir / "engine.log"
    assert await wait_for_text(engine_log, "RecursionError"), "the forced engine exception was not logged"
    logs = all_logs(settings.log_dir)
    assert {"bot.log", "engine.log", "actions.log"} <= {path.name for path in logs}
    assert "ValueError" in logs[settings.log_dir / "bot.log"]  # the bot's exception: type and frames
    for path, content in logs.items():
        for secret in (marker, "rue X", pseudonym, str(RAW_USER_ID)):
            assert secret not in content, f"{secret!r} found in {path.name}"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path.name} is not private"


def log_the_bot_failing_on(marker: str, pseudonym: str) -> None:
    """What a handler's error path logs: an exception quoting the text, and a library's warning."""
    try:
        raise ValueError(f"update {RAW_USER_ID} from {pseudonym} failed on {marker} my address is 12 rue X")
    except ValueError as error:
        logging.getLogger("bot.telegram.handlers").error("update failed", exc_info=error)
    logging.getLogger("rasa.core.processor").warning(
        f"Circuit breaker tripped. Stopped predicting more actions for sender '{pseudonym}' {marker}."
    )
    logging.getLogger("telegram.ext.Application").debug("update %s: %s", RAW_USER_ID, marker)
