"""What may reach a log: no message text, pseudonym, raw id or exception detail (audit M2).

Three layers, used by every process the project starts:

- `ContentFilter`, on every handler: records of our own modules keep their message; records of
  third-party libraries (Rasa, Sanic, PTB, httpx...) keep only the first line of their
  template, without its arguments and without anything quoted or in braces; exceptions become
  their types and frames (file, line, function) with no message and no locals.
- `strip_event` for Rasa's structlog events: the event name stays, every other field (the
  user text, the sender id, tracker dumps...) is dropped and only named.
- `ChildOutput`, in the supervisor, for the raw output of the engine and action server:
  already-filtered log lines and traceback frames pass, anything else is withheld.

`redact` runs last everywhere: 32-hex pseudonyms, long digit runs and bot tokens never pass.
"""

from __future__ import annotations

import itertools
import logging
import re
import sys
import traceback
from collections.abc import MutableMapping
from types import TracebackType
from typing import Any

OWN_PACKAGES = frozenset(
    {"app", "bot", "core", "storage", "actions", "rasa_components", "scripts", "__main__"}
)
BOT_TOKEN = re.compile(r"\d{5,}:[\w-]{30,}")
HEX_RUN = re.compile(r"[0-9a-fA-F]{32,}")
DIGIT_RUN = re.compile(r"\d{6,}")
QUOTED = re.compile(r"'.*'|\".*\"|`.*`")
BRACED = re.compile(r"\{.*\}")
DATA_START = re.compile(r"['\"`{\[:=<]")
PLACEHOLDER = re.compile(r"%(\([^)]*\))?[-#0 +]*(\d+|\*)?(\.(\d+|\*))?[diouxXeEfFgGcrsa]")
THIRD_PARTY_LENGTH = 200
HEAD_FRAMES, TAIL_FRAMES = 5, 30
TRACEBACK_HEADER = "Traceback (most recent call last):"
CHAIN_LINES = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def redact(text: str) -> str:
    """The last guard: bot tokens, 32-hex pseudonyms and runs of 6+ digits are masked."""
    text = BOT_TOKEN.sub("<token>", text)
    text = HEX_RUN.sub("<hex>", text)
    return DIGIT_RUN.sub("<digits>", text)


def is_own(logger_name: str) -> bool:
    """True for loggers of this project's modules, whose messages never hold contents."""
    return logger_name.split(".")[0] in OWN_PACKAGES


def reduced(template: str, has_arguments: bool) -> str:
    """A third-party message reduced to safe content: its first line, without arguments or data.

    With arguments, the template is a constant: placeholders and quoted parts are elided. A
    message formatted beforehand may hold data anywhere, so it is cut before its first quote,
    brace or colon, where libraries put values.
    """
    first = template.strip().split("\n", 1)[0]
    if has_arguments:
        first = BRACED.sub("{…}", QUOTED.sub("'…'", PLACEHOLDER.sub("…", first)))
    else:
        cut = DATA_START.search(first)
        first = first[: cut.start()].rstrip() + " …" if cut else first
    return first if len(first) <= THIRD_PARTY_LENGTH else first[:THIRD_PARTY_LENGTH] + "…"


def type_name(error: BaseException) -> str:
    """The qualified name of an exception's type."""
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def frame_lines(tb: TracebackType | None) -> list[str]:
    """File, line and function of each frame; repeats folded, long stacks cut in the middle."""
    frames = [(f.f_code.co_filename, lineno, f.f_code.co_name) for f, lineno in traceback.walk_tb(tb)]
    lines: list[str] = []
    for (filename, lineno, function), group in itertools.groupby(frames):
        lines.append(f'  File "{filename}", line {lineno}, in {function}')
        repeats = len(list(group)) - 1
        if repeats:
            lines.append(f"  [previous frame repeated {repeats} more times]")
    if len(lines) > HEAD_FRAMES + TAIL_FRAMES:
        omitted = len(lines) - HEAD_FRAMES - TAIL_FRAMES
        lines = [*lines[:HEAD_FRAMES], f"  [{omitted} frames omitted]", *lines[-TAIL_FRAMES:]]
    return lines


def exception_chain(error: BaseException) -> list[tuple[BaseException, str | None]]:
    """The exception and its causes, oldest first, each with the line that links it to the next."""
    chain: list[tuple[BaseException, str | None]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    link: str | None = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, CHAIN_LINES[0]
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, CHAIN_LINES[1]
        else:
            current = None
    return list(reversed(chain))


def frames_only(error: BaseException) -> str:
    """A traceback of the exception and its causes: types and frames, no message, no locals."""
    lines: list[str] = []
    for exception, link in exception_chain(error):
        lines += [TRACEBACK_HEADER, *frame_lines(exception.__traceback__), type_name(exception)]
        if link:
            lines += ["", link, ""]
    return "\n".join(lines)


def exception_of(exc_info: Any) -> BaseException | None:
    """The exception of a record's `exc_info` (a tuple, an exception, or True inside `except`)."""
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1]
    if exc_info is True:
        return sys.exc_info()[1]
    return None


def safe_message(record: logging.LogRecord) -> str:
    """The record's message as it may be kept: ours and stripped structlog events as written,
    third-party ones reduced."""
    if is_own(record.name) or getattr(record, "structured", False):
        try:
            return record.getMessage()
        except (TypeError, ValueError):
            return reduced(str(record.msg), has_arguments=True)
    template = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
    return reduced(template, has_arguments=bool(record.args))


class ContentFilter(logging.Filter):
    """Rewrites each record so that it holds no contents; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "contents_filtered", False):
            return True
        message = safe_message(record)
        error = exception_of(record.exc_info) if record.exc_info else None
        if error is not None:
            message += "\n" + frames_only(error)
        elif record.exc_text or record.stack_info:
            message += "\n[traceback withheld]"
        record.msg, record.args = redact(message), None
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record.contents_filtered = True
        return True


STRUCTLOG_KEPT = ("event", "exc_info", "level", "log_level", "timestamp", "logger")
EVENT_NAME = re.compile(r"^[\w.\-]{1,80}$")


def strip_event(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> dict[str, Any]:
    """A structlog processor keeping the event name; other fields are dropped and only named."""
    dropped = sorted(str(key) for key in event_dict if key not in STRUCTLOG_KEPT)
    kept = {key: event_dict[key] for key in STRUCTLOG_KEPT if key in event_dict}
    event = str(kept.get("event", ""))
    event = event if EVENT_NAME.match(event) else "(an event without a plain name)"
    kept["event"] = event + (f" (fields withheld: {', '.join(dropped)})" if dropped else "")
    return kept


def to_stdlib(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> tuple[tuple[str], dict[str, Any]]:
    """The last structlog processor: the stripped event as the message, the exception as `exc_info`."""
    extra = {"structured": True}  # built by strip_event: kept as it is by ContentFilter
    return (str(event_dict.get("event", "")),), {"exc_info": event_dict.get("exc_info"), "extra": extra}


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.\-]+: ")
FRAME_LINE = re.compile(r'^\s+File "[^"\n]*", line \d+,? in [\w<>.\-]+$')
NOTE_LINE = re.compile(r"^  \[[\w .]+\]$")
EXCEPTION_NAME = re.compile(r"^((?:[A-Za-z_]\w*\.)*[A-Z]\w*)(:|$)")
FAULT_LINES = ("Fatal Python error: ", "Current thread 0x", "Thread 0x", "Stack (most recent call first):")
DROP = ""  # blank lines and a traceback's source lines: dropped without a note


class ChildOutput:
    """Cleans the raw output of a child process line by line; keeps only what is known safe."""

    def __init__(self) -> None:
        self._in_traceback = False

    def clean(self, raw: str) -> str | None:
        """The line as it may be logged, a note that it was withheld, or None to drop it."""
        line = raw.rstrip("\r\n")
        kept = self._kept(line)
        if kept is None:
            return f"[{len(line.strip())} characters of output withheld]"
        return redact(kept) if kept != DROP else None

    def _kept(self, line: str) -> str | None:
        """The safe form of one line, DROP, or None when it must be withheld."""
        if not line.strip():
            return DROP
        if line in CHAIN_LINES or LOG_LINE.match(line):
            return line
        if line == TRACEBACK_HEADER or line.startswith(FAULT_LINES):
            self._in_traceback = True
            return line
        return self._traceback_line(line) if self._in_traceback else None

    def _traceback_line(self, line: str) -> str | None:
        """Frames pass, source lines are dropped, and the final line keeps only the exception type."""
        if FRAME_LINE.match(line) or NOTE_LINE.match(line):
            return line
        if line.startswith("    "):
            return DROP
        self._in_traceback = False
        name = EXCEPTION_NAME.match(line)
        return name.group(1) if name else None
