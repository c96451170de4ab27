"""The console channel: the same pipeline, engine and texts as Telegram, at a terminal or in scripts.

`--json` reads one message per line: plain text, {"text": ...} or {"payload": ...} (a button),
either with an optional "sender"; it prints one JSON object per reply, and {"erased": n} when a
quick exit erased the conversation. A terminal cannot take back what it printed: the channel
counts what the pipeline asks it to delete.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from bot.turn.channel import ChatRef, Deletion
from bot.turn.inputs import Incoming, Person, clean_text
from bot.turn.pipeline import TurnPipeline
from core.i18n import tr
from core.screens import Screen

logger = logging.getLogger(__name__)

CHANNEL = "console"
DEFAULT_SENDER = "console-user"


class ConsoleChannel:
    """Collects the screens shown to each chat; message ids are counted locally."""

    name = CHANNEL

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._shown: dict[ChatRef, list[Screen]] = defaultdict(list)
        self._erased: dict[ChatRef, int] = defaultdict(int)

    async def send(self, chat: ChatRef, screen: Screen) -> list[int]:
        """Keep the screen for the reader; one id per screen."""
        self._shown[chat].append(screen)
        return [next(self._ids)]

    async def edit(self, chat: ChatRef, message_id: int, screen: Screen, current_text: str | None) -> None:
        """A terminal shows the edited screen again."""
        self._shown[chat].append(screen)

    async def delete(self, chat: ChatRef, message_ids: Sequence[int]) -> Deletion:
        """Counted as done: nothing printed can be taken back."""
        self._erased[chat] += len(message_ids)
        return Deletion(done=frozenset(message_ids))

    def take(self, chat: ChatRef) -> tuple[list[Screen], int]:
        """The screens shown to a chat and the count of messages erased since the last call."""
        return self._shown.pop(chat, []), self._erased.pop(chat, 0)


@dataclass(frozen=True)
class Line:
    """One input line: who, what, and whether it is a button press."""

    sender: str
    text: str
    button: bool = False


class ConsoleChat:
    """Talks to the pipeline through a console channel: one message in, what it showed out."""

    def __init__(self, pipeline: TurnPipeline, channel: ConsoleChannel | None = None) -> None:
        self.pipeline = pipeline
        self.channel = channel or ConsoleChannel()

    async def exchange(self, person: Person, text: str, button: bool = False) -> tuple[list[Screen], int]:
        """Send a text (or press a button) and return the screens shown and the count erased."""
        chat = person.user_id
        await self.pipeline.handle(Incoming(person, chat, text, button=button), self.channel)
        return self.channel.take(chat)


def parse_line(line: str) -> Line:
    """A line of input; payloads are button presses; anything unreadable is plain text."""
    stripped = clean_text(line)
    if stripped.startswith("{"):
        try:
            data: Any = json.loads(stripped)
        except (ValueError, RecursionError):  # not JSON, or nested beyond reason: plain text
            data = None
        if isinstance(data, dict):
            sender = clean_text(str(data.get("sender") or "")) or DEFAULT_SENDER
            if "payload" in data:
                return Line(sender, clean_text(str(data.get("payload") or "")), button=True)
            text = data.get("text")
            return Line(sender, clean_text(str(text if text is not None else "")))
    return Line(DEFAULT_SENDER, stripped)


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


async def run_json(chat: ConsoleChat, stdin: IO[str], stdout: IO[str]) -> None:
    """Answer each stdin line with JSON lines until end of input; a bad line never stops it."""
    while line := await _read_line(stdin):
        parsed = parse_line(line)
        screens, erased = await chat.exchange(Person(CHANNEL, parsed.sender), parsed.text, parsed.button)
        records = [reply_record(parsed.sender, screen) for screen in screens]
        if erased:
            records.append({"sender": parsed.sender, "erased": erased})
        for record in records:
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        stdout.flush()


def render_for_terminal(screen: Screen) -> str:
    """A screen as terminal text, buttons numbered so they can be pressed by typing the number."""
    lines = [console_text(screen)]
    lines += [f"  [{index}] {button.title}" for index, button in enumerate(screen.buttons, 1)]
    return "\n".join(lines)


async def run_interactive(
    chat: ConsoleChat, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout
) -> None:
    """A chat at the terminal: type text, or a button's number; Ctrl-D to leave."""
    person = Person(CHANNEL, DEFAULT_SENDER)
    buttons: tuple[Any, ...] = ()
    language = "fr"
    stdout.write("Type a message (or a button number). Ctrl-D to quit.\n> ")
    stdout.flush()
    while line := await _read_line(stdin):
        text, button = line.strip(), False
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text, button = buttons[int(text) - 1].payload, True
        screens, erased = await chat.exchange(person, text, button)
        shown = [render_for_terminal(s) for s in screens]
        if erased:  # the terminal keeps what it printed; say that the conversation is erased
            shown.append(tr(language, "erase.done"))
        buttons = screens[-1].buttons if screens else ()
        language = screens[-1].language if screens else language
        stdout.write("\n".join(shown) + "\n> ")
        stdout.flush()
    stdout.write("\n")
