"""What reaches a log: no text, pseudonym, raw id or exception detail; files 0600 and rotated."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import warnings

import pytest
import structlog

from app.log_redaction import ChildOutput, ContentFilter, frames_only, redact, strip_event
from app.logging_setup import (
    PrivateRotatingFileHandler,
    configure_structlog,
    filtered,
    silence_warnings,
)
from app.processes import ChildLog

MARKER = "zqmarkovtrwx"  # no hex, no digits: only the filters, not the last guard, can remove it
PSEUDONYM = "0123456789abcdef0123456789abcdef"
TEXT = f"/menu{{{MARKER} my address is 12 rue X"


class Capture(logging.Handler):
    """Formats what it receives, through the production format and filter."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        filtered(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def capture():
    handler = Capture()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(previous)


def failing_parser(text: str) -> None:
    secret_local = f"{text} {PSEUDONYM}"  # noqa: F841 - a local that must not be shown
    raise ValueError(f"could not parse {text!r} for {PSEUDONYM}")


def test_the_last_guard_masks_pseudonyms_digit_runs_and_bot_tokens():
    line = f"sender {PSEUDONYM} id 770011223 token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw port 18005"
    masked = redact(line)
    assert PSEUDONYM not in masked and "770011223" not in masked and "AAHdqTcv" not in masked
    assert "port 18005" in masked


def test_third_party_records_lose_arguments_quotes_braces_and_later_lines(capture):
    rasa = logging.getLogger("rasa.shared.utils.io")
    rasa.warning("Failed to parse arguments in line '%s'", TEXT)
    rasa.warning(f"Failed to parse arguments in line '{TEXT}'. Intent: {{x}}")
    rasa.warning(f"Circuit breaker tripped for sender '{PSEUDONYM}'.\nsecond line {MARKER}")
    rasa.warning(f"Received user message {{{MARKER}: 1}}")
    rasa.error(f"Failed to run action 'x' for '{PSEUDONYM}' after {MARKER} wrote: {TEXT}")
    assert MARKER not in capture.text and "rue X" not in capture.text and PSEUDONYM not in capture.text
    assert "Failed to parse arguments in line" in capture.text and "Circuit breaker tripped" in capture.text


def test_our_own_records_keep_their_message(capture):
    logging.getLogger("app.processes").warning("the %s exited (code %s)", "Rasa server", -9)
    assert "the Rasa server exited (code -9)" in capture.text


def test_exceptions_keep_types_and_frames_but_no_message_and_no_locals(capture):
    try:
        try:
            failing_parser(TEXT)
        except ValueError as error:
            raise RuntimeError(f"wrapped: {error}") from error
    except RuntimeError:
        logging.getLogger("rasa.core.channels.rest").exception("rest.message.received.failure")
        logging.getLogger("bot.telegram_channel").error("update failed", exc_info=True)
    assert MARKER not in capture.text and "rue X" not in capture.text and PSEUDONYM not in capture.text
    assert "ValueError" in capture.text and "RuntimeError" in capture.text
    assert "in failing_parser" in capture.text and "test_log_redaction.py" in capture.text
    assert "The above exception was the direct cause" in capture.text


def test_a_deep_recursion_gives_a_bounded_traceback():
    def deep(n: int) -> None:
        if n == 0:
            raise RecursionError(MARKER)
        deep(n - 1)

    try:
        deep(500)
    except RecursionError as error:
        rendered = frames_only(error)
    assert MARKER not in rendered and rendered.endswith("RecursionError")
    assert "repeated" in rendered and len(rendered.splitlines()) < 50


def test_structlog_events_keep_their_name_only(capture):
    configure_structlog(logging.DEBUG)
    try:
        structlog.get_logger().warning(
            "message.parsing.failed", user_text=TEXT, sender_id=PSEUDONYM, tracker={"events": [TEXT]}
        )
        try:
            failing_parser(TEXT)
        except ValueError:
            structlog.get_logger().exception("rest.message.received.failure", text=TEXT)
    finally:
        structlog.reset_defaults()
    assert "message.parsing.failed" in capture.text and "rest.message.received.failure" in capture.text
    assert "user_text" in capture.text and "ValueError" in capture.text  # named, not shown
    assert MARKER not in capture.text and PSEUDONYM not in capture.text


def test_strip_event_drops_every_field_but_the_event_name():
    kept = strip_event(None, "warning", {"event": "x.y", "text": TEXT, "user_text": TEXT, "level": "warning"})
    assert MARKER not in str(kept) and kept["event"] == "x.y (fields withheld: text, user_text)"
    assert MARKER not in strip_event(None, "warning", {"event": f"parsed {TEXT}"})["event"]


def test_python_warnings_never_show_their_message(capture):
    with warnings.catch_warnings():
        silence_warnings()
        warnings.simplefilter("always")  # as a library might, after us
        warnings.warn(f"Failed to parse arguments in line '{TEXT}'", UserWarning, stacklevel=1)
    assert MARKER not in capture.text
    assert "UserWarning at" in capture.text


def test_the_filter_is_idempotent_and_never_drops_a_record():
    record = logging.LogRecord("rasa.x", logging.ERROR, __file__, 1, "text %s", (TEXT,), None)
    assert ContentFilter().filter(record) and ContentFilter().filter(record)
    assert MARKER not in record.getMessage()


def test_raw_child_output_keeps_log_lines_and_frames_only():
    raw = [
        "2026-01-01 10:00:00,000 WARNING rasa.core.processor: Circuit breaker tripped.",
        "Traceback (most recent call last):",
        '  File "/srv/app/x.py", line 12, in handle',
        f"    parse('{TEXT}')",
        f"ValueError: bad input {TEXT}",
        f"print of a raw text {MARKER}",
        MARKER,
    ]
    cleaner = ChildOutput()
    cleaned = [cleaner.clean(line) for line in raw]
    assert cleaned[:3] == raw[:3]
    assert cleaned[3] is None  # a source line is dropped
    assert cleaned[4] == "ValueError"
    assert MARKER not in str(cleaned) and "withheld" in str(cleaned[5]) and "withheld" in str(cleaned[6])


def test_a_child_crash_lands_filtered_in_a_private_log(tmp_path):
    log = ChildLog(tmp_path / "child.log", max_bytes=1_000_000, backups=2)
    crash = f"import sys; sys.stderr.write('{MARKER} before\\n'); raise KeyError('{MARKER} {PSEUDONYM}')"
    child = subprocess.Popen([sys.executable, "-c", crash], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    log.pump(child.stdout)
    child.wait()
    log.close()
    content = (tmp_path / "child.log").read_text()
    assert "Traceback (most recent call last):" in content and "KeyError" in content
    assert MARKER not in content and PSEUDONYM not in content
    assert stat.S_IMODE((tmp_path / "child.log").stat().st_mode) == 0o600


def test_log_files_are_private_and_rotated_within_bounds(tmp_path):
    path = tmp_path / "logs" / "bot.log"
    path.parent.mkdir()
    path.write_text("older content\n")
    os.chmod(path, 0o644)  # a file left by an older version
    old_umask = os.umask(0)
    try:
        handler = filtered(PrivateRotatingFileHandler(path, max_bytes=2000, backups=2))
        logger = logging.Logger("app.test")
        logger.addHandler(handler)
        for index in range(500):
            logger.warning("line %d of a long run", index)
        handler.close()
    finally:
        os.umask(old_umask)
    files = sorted(path.parent.iterdir())
    assert [f.name for f in files] == ["bot.log", "bot.log.1", "bot.log.2"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert all(f.stat().st_size <= 2000 for f in files)
