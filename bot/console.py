"""Console channel: the same engine and texts as Telegram, for people at a terminal and scripts.

`--json` reads one message per line: plain text, {"text": ...} or {"payload": ...}, either with
an optional "sender"; it prints one JSON object per reply.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import IO, Any

from bot.conversation import ConversationService, Person
from core.screens import Screen

CHANNEL = "console"
DEFAULT_SENDER = "console-user"


def parse_line(line: str) -> tuple[str, str]:
    """(sender, text) from one input line; a payload is sent as its text, like a button."""
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            data: Any = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, dict):
            sender = str(data.get("sender") or DEFAULT_SENDER)
            text = data.get("payload", data.get("text", ""))
            return sender, str(text if text is not None else "")
    return DEFAULT_SENDER, stripped


def console_text(screen: Screen) -> str:
    """The screen's text; a hand-off link shows as the start command the person would send."""
    return f"{screen.text}\n\n/start {screen.handoff}" if screen.handoff else screen.text


def reply_record(sender: str, screen: Screen) -> dict[str, Any]:
    """One JSON line per reply."""
    return {
        "sender": sender,
        "text": console_text(screen),
        "buttons": [{"title": b.title, "payload": b.payload} for b in screen.buttons],
        "language": screen.language,
        "intent": screen.intent,
    }


async def _read_line(stream: IO[str]) -> str:
    """Read a line without blocking the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, stream.readline)


async def run_json(service: ConversationService, stdin: IO[str], stdout: IO[str]) -> None:
    """Answer each stdin line with JSON lines until end of input."""
    while line := await _read_line(stdin):
        sender, text = parse_line(line)
        for screen in await service.handle_text(Person(CHANNEL, sender), text):
            stdout.write(json.dumps(reply_record(sender, screen), ensure_ascii=False) + "\n")
        stdout.flush()


def render_for_terminal(screen: Screen) -> str:
    """A screen as terminal text, buttons numbered so they can be pressed by typing the number."""
    lines = [console_text(screen)]
    lines += [f"  [{index}] {button.title}" for index, button in enumerate(screen.buttons, 1)]
    return "\n".join(lines)


async def run_interactive(
    service: ConversationService, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout
) -> None:
    """A chat at the terminal: type text, or a button's number; Ctrl-D to leave."""
    person = Person(CHANNEL, DEFAULT_SENDER)
    buttons: tuple = ()
    stdout.write("Type a message (or a button number). Ctrl-D to quit.\n> ")
    stdout.flush()
    while line := await _read_line(stdin):
        text = line.strip()
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1].payload
        screens = await service.handle_text(person, text)
        buttons = screens[-1].buttons if screens else ()
        stdout.write("\n".join(render_for_terminal(s) for s in screens) + "\n> ")
        stdout.flush()
    stdout.write("\n")
