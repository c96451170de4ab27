"""What a person is shown, independent of the channel: text, buttons, language."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Key marking our screens inside Rasa's custom JSON replies.
SCREEN_KEY = "screen"
# Directive asking the channel to erase the conversation (quick exit).
ERASE_DIRECTIVE = "erase"
# Directive telling the channel that the auto-erase delay changed (apply it to past messages).
AUTO_ERASE_DIRECTIVE = "auto_erase_changed"
# Directive: replace the message whose button was pressed instead of sending a new one.
EDIT_DIRECTIVE = "edit"
# Directive: the person has a handover request; keep (encrypted) where to tell them about it.
HANDOVER_CHAT_DIRECTIVE = "handover_chat"
# Directive prefix: show a hand-off link (and QR code) for this start parameter, e.g. "handoff:h-en-ccem".
HANDOFF_PREFIX = "handoff:"


def handoff_parameter(screen: Screen) -> str | None:
    """The start parameter of a hand-off link the screen asks the channel to show, if any."""
    found = [d[len(HANDOFF_PREFIX) :] for d in screen.directives if d.startswith(HANDOFF_PREFIX)]
    return found[0] if found else None


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
    # Auto-erase delay chosen by the person, in seconds (None: off); the channel schedules it.
    erase_after: int | None = None
    # Directives for the channel, e.g. "erase" (forget this person's conversation).
    directives: tuple[str, ...] = field(default_factory=tuple)

    def to_payload(self) -> dict[str, Any]:
        """Serialise as the custom JSON an action sends through Rasa."""
        data = asdict(self)
        data["buttons"] = [asdict(button) for button in self.buttons]
        data["directives"] = list(self.directives)
        return {SCREEN_KEY: data}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Screen:
        """Rebuild a screen from the custom JSON sent by an action."""
        body = data[SCREEN_KEY]
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
            directives=tuple(body.get("directives", [])),
        )
