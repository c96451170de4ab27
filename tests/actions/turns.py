"""Trackers as Rasa sends them, and what an action did with one: the helpers of the action layer.

`pressed(payload)` and `typed(text, intent)` build the tracker of a button or a typed message;
`run_action(action, tracker)` runs the action and returns the screens it sent (as the bot reads
them) and the events it returned.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from core.screens import Screen

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "dialogues" / "domain.yml").read_text(encoding="utf-8"))


def initial_slots() -> dict[str, Any]:
    """Every slot of the domain at its initial value, as Rasa sends them."""
    return {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}


def tracker(
    *,
    text: str = "",
    intent: str | None = None,
    entities: dict[str, str] | None = None,
    slots: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    active_loop: str | None = None,
    sender_id: str | None = None,
    ranking: list[tuple[str, float]] | None = None,
) -> Tracker:
    """A tracker whose latest message has this text, intent, entities, ranking and channel metadata."""
    message = {
        "intent_ranking": [{"name": name, "confidence": confidence} for name, confidence in ranking or []],
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": [{"entity": name, "value": value} for name, value in (entities or {}).items()],
        "metadata": metadata or {},
    }
    return Tracker(
        sender_id=sender_id or uuid.uuid4().hex,
        slots={**initial_slots(), **(slots or {})},
        latest_message=message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def parse_payload(payload: str) -> tuple[str, dict[str, str]]:
    """The intent and entities of a button payload, as Rasa reads `/intent{"entity": "value"}`."""
    name, brace, rest = payload[1:].partition("{")
    entities = json.loads(brace + rest) if brace else {}
    return name, {key: str(value) for key, value in entities.items()}


def pressed(payload: str, **context: Any) -> Tracker:
    """The tracker of a button press."""
    intent, entities = parse_payload(payload)
    return tracker(text=payload, intent=intent, entities=entities, **context)


def typed(text: str, intent: str, **context: Any) -> Tracker:
    """The tracker of a typed message the model read as an intent."""
    return tracker(text=text, intent=intent, **context)


@dataclass(frozen=True)
class Outcome:
    """What an action sent and returned."""

    screens: list[Screen]
    events: list[dict[str, Any]]

    @property
    def screen(self) -> Screen:
        """The only screen sent."""
        assert len(self.screens) == 1, [screen.text[:40] for screen in self.screens]
        return self.screens[0]

    @property
    def slots(self) -> dict[str, Any]:
        """Slots set by the events (the last value wins)."""
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    @property
    def followup(self) -> str | None:
        """The follow-up action asked for, if any."""
        return next((e["name"] for e in self.events if e.get("event") == "followup"), None)

    def payloads(self, index: int = -1) -> list[str]:
        """The button payloads of a screen (the last by default)."""
        return [button.payload for button in self.screens[index].buttons]


async def run_action(action: Action, on: Tracker, domain: dict[str, Any] | None = None) -> Outcome:
    """Run an action as the action server would, and read back its screens and events."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, on, domain if domain is not None else DOMAIN)
    screens = [Screen.from_payload(message["custom"]) for message in dispatcher.messages]
    return Outcome(screens, list(events))
