"""What a person is shown, independent of the channel: text, buttons, language, and directives.

A screen crosses from the action server to the bot as custom JSON inside Rasa's reply; the
directives are the typed vocabulary of that contract.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

# Key marking our screens inside Rasa's custom JSON replies.
SCREEN_KEY = "screen"


class Directive(str, Enum):
    """What a screen asks the turn pipeline to do besides showing it."""

    ERASE = "erase"  # quick exit: erase the conversation
    AUTO_ERASE_CHANGED = "auto_erase_changed"  # apply the new auto-erase delay to past messages
    EDIT = "edit"  # replace the message whose button was pressed instead of sending a new one
    HANDOVER_CHAT = "handover_chat"  # keep (encrypted) where to tell the person about their request


@dataclass(frozen=True)
class Button:
    """A button: a translated title and a language-neutral payload."""

    title: str
    payload: str
    # Compact buttons (e.g. checklist toggles) share a row, up to three at a time.
    compact: bool = False


@dataclass(frozen=True)
class Screen:
    """One reply: translated text, buttons, its language and the intent it answers."""

    text: str
    language: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    intent: str | None = None
    protect: bool = False
    # Auto-erase delay chosen by the person, in seconds (None: off); the pipeline schedules it.
    erase_after: int | None = None
    directives: frozenset[Directive] = frozenset()
    # Start parameter of a hand-off link to show (each channel renders its own link), e.g. "h-en-ccem".
    handoff: str | None = None
    # A request (a payload) the pipeline sends to the engine right after this screen, in the same
    # turn: the question the person asked before the safety question, answered without a second tap.
    then: str | None = None

    def has(self, directive: Directive) -> bool:
        """True when the screen carries this directive."""
        return directive in self.directives

    def to_payload(self) -> dict[str, Any]:
        """Serialise as the custom JSON an action sends through Rasa."""
        data = asdict(self)
        data["buttons"] = [asdict(button) for button in self.buttons]
        data["directives"] = sorted(directive.value for directive in self.directives)
        return {SCREEN_KEY: data}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Screen:
        """Rebuild a screen from the custom JSON sent by an action; unknown directives are dropped."""
        body = data[SCREEN_KEY]
        known = {directive.value for directive in Directive}
        handoff, then = body.get("handoff"), body.get("then")
        return cls(
            text=str(body["text"]),
            language=str(body["language"]),
            buttons=tuple(
                Button(str(b["title"]), str(b["payload"]), bool(b.get("compact", False)))
                for b in body.get("buttons", [])
            ),
            intent=body.get("intent"),
            protect=bool(body.get("protect", False)),
            erase_after=int(body["erase_after"]) if body.get("erase_after") else None,
            directives=frozenset(Directive(d) for d in body.get("directives", []) if d in known),
            handoff=str(handoff) if handoff else None,
            then=str(then) if then else None,
        )
