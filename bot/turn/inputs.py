"""What a channel received, and what it means: parsed once, into one typed value per turn.

A channel turns its update into an `Incoming` (who, which chat, the text or button data, the
message ids). `parse` reads it once: a quick exit, a code-word command, "answer the
association", a deep-link start, a button payload or command the engine knows, free words, or
media. Text is made safe first (invalid characters, controls and direction overrides removed),
so that nothing a person types can crash a later step or reach the engine as intent syntax.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core import payloads
from core.danger import normalise
from core.handoff_link import parse_parameter
from core.handover_messages import REPLY_PAYLOAD

ChatRef = int | str
# Longest text given to the engine: NLU needs the gist; danger is checked on the whole text first.
ENGINE_TEXT_LIMIT = 1000
# Longest text a person can relay to an association in one message.
RELAY_LIMIT = 3500
_PAYLOAD = re.compile(r"^/([a-z_]{1,40})(\{[^{}\n]{0,80}\})?$")
_COMMAND = re.compile(r"^/([A-Za-z_]{1,40})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
# Direction overrides and isolates, the byte-order mark: never needed in a message, easy to abuse.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u200e\u200f")
)
QUICK_EXIT_COMMANDS = frozenset({"exit", "quick_exit"})
CODE_WORD_COMMAND = "codeword"


@dataclass(frozen=True)
class Person:
    """Who wrote, as the channel knows them; the raw id never leaves the pipeline's first step."""

    channel: str
    user_id: str
    client_language: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One update from a channel, before any interpretation."""

    person: Person
    chat: ChatRef
    text: str | None  # typed text or button data; None for media
    button: bool = False  # the text is the data of a pressed button
    message_id: int | None = None  # the person's own message, when it stays in the chat
    pressed_id: int | None = None  # the message whose button was pressed
    pressed_text: str | None = None  # that message's current text (to edit only its buttons)
    # The channel's unique name of this update, when it may deliver it again (Telegram retries a
    # webhook that was not acknowledged): the engine then answers a repeat without redoing it.
    update_key: str | None = None


@dataclass(frozen=True)
class QuickExit:
    """/exit, the erase button, or the person's code word: erase everything, now."""

    code_word: bool = False


@dataclass(frozen=True)
class CodeWordCommand:
    """/codeword <word> sets it, /codeword off removes it, /codeword alone explains."""

    argument: str


@dataclass(frozen=True)
class AnswerAssociation:
    """The "answer them" button: the next text goes to the association."""


@dataclass(frozen=True)
class Start:
    """A worker's hand-off link was opened: the language and the association it points to."""

    language: str
    association: str


@dataclass(frozen=True)
class Payload:
    """A button, or a command the engine knows, as an intent with its entities."""

    intent: str
    entities: Mapping[str, str | int | float | bool] = field(default_factory=dict)

    def engine_text(self) -> str:
        """The payload as the engine reads it."""
        return payloads.make(self.intent, **self.entities)


@dataclass(frozen=True)
class Words:
    """Free text."""

    text: str


@dataclass(frozen=True)
class Media:
    """A photo, voice message, sticker, location or file: never downloaded or kept."""


Input = QuickExit | CodeWordCommand | AnswerAssociation | Start | Payload | Words | Media


def clean_text(text: str) -> str:
    """Text safe to process: no lone surrogates, no controls but line breaks and tabs, no direction
    overrides, composed (NFC)."""
    kept = "".join(
        char
        for char in text.translate(_INVISIBLE)
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs", "Co", "Cn")
    )
    return unicodedata.normalize("NFC", kept).strip()


def parse(incoming: Incoming, intents: frozenset[str]) -> Input:
    """What the update means; `intents` are those the engine knows (buttons and commands)."""
    if incoming.text is None:
        return Media()
    text = clean_text(incoming.text)
    if incoming.button:
        return _button(text, intents)
    if text.startswith("/"):
        return _command(text, intents)
    return Words(text)


def _button(data: str, intents: frozenset[str]) -> Input:
    """A pressed button: our own payloads only; anything else shows the menu."""
    if data == REPLY_PAYLOAD:
        return AnswerAssociation()
    if data in payloads.QUICK_EXIT_COMMANDS:
        return QuickExit()
    if data == payloads.CODE_WORD:
        return CodeWordCommand("")
    return _payload(data, intents) or Payload("menu")


def _command(text: str, intents: frozenset[str]) -> Input:
    """A text starting with '/': a command, a payload typed as text, or words after a slash."""
    found = _COMMAND.match(text)
    name = found.group(1).lower() if found else ""
    argument = (found.group(2) or "").strip() if found else ""
    if name in QUICK_EXIT_COMMANDS:  # "/exit now" too: generous, never a reason not to erase
        return QuickExit()
    if name == CODE_WORD_COMMAND:
        return CodeWordCommand(argument)
    if name == "start":
        return _deep_link(argument) or Payload("start")
    if found and name in intents and not argument:
        return Payload(name)
    return _payload(text, intents) or Words(text.lstrip("/").strip())


def _deep_link(argument: str) -> Start | None:
    """`/start h-<language>-<association>`: a worker's hand-off link."""
    found = parse_parameter(argument)
    return Start(*found) if found else None


def _payload(text: str, intents: frozenset[str]) -> Payload | None:
    """`/intent` or `/intent{"entity": value}` with flat, valid JSON and a known intent."""
    found = _PAYLOAD.match(text)
    if not found or found.group(1) not in intents:
        return None
    if not found.group(2):
        return Payload(found.group(1))
    try:
        entities = json.loads(found.group(2))
    except ValueError:
        return None
    scalars = (str, int, float, bool)
    if not isinstance(entities, dict) or not all(isinstance(v, scalars) for v in entities.values()):
        return None
    return Payload(found.group(1), entities)


def spoken_form(text: str) -> str:
    """How a code word is compared: case, accents and punctuation ignored."""
    return normalise(text).strip()


def known_intents(domain_file: Path) -> frozenset[str]:
    """The intents the engine knows (from the domain), which buttons and commands may name."""
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
    return frozenset(str(intent) for intent in domain.get("intents", []))
