"""A unique marker sent through whole conversations never appears in any log, nor the raw user id."""

from __future__ import annotations

import logging
import uuid

from app.logging_setup import configure_logging
from bot.console import ConsoleChat
from bot.turn.inputs import Person
from core import payloads
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
    assert engine_logs, "engine and action server logs are missing"
    for source, content in (("bot", "\n".join(recorder.lines)), ("engine/actions", engine_logs)):
        assert marker not in content, f"message text found in {source} logs"
        assert str(RAW_USER_ID) not in content, f"raw Telegram id found in {source} logs"
