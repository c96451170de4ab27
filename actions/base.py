"""Shared machinery: read the turn once, decide once, and send the screens through Rasa.

An action sees one `Turn` (what the tracker says about the message being answered, read once)
and returns one `Reply` (the screens to show and the events to record). `ScreenAction.run` adds
what every action shares: the safety question before a sensitive answer, the intent and the
auto-erase delay stamped on each screen, the language slot, and the static fallback (then
listening) when anything fails, so a person never meets a crash or a loop of replies.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from core import languages, payloads
from core.common_screens import erase_button, static_fallback
from core.i18n import tr
from core.screens import Button, Directive, Screen
from core.suggestions import alternatives, buttons_for

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
LANGUAGE_CHOSEN_SLOT = "language_chosen"
AUTO_ERASE_SLOT = "auto_erase_seconds"
SAFETY_CHECKED_SLOT = "safety_checked"
PENDING_REQUEST_SLOT = "pending_request"
ALTERNATIVES_ENTITY = "o"
REQUESTED_SLOT = "requested_slot"
# Metadata key under which the channel sends the person's auto-erase delay (int seconds, or null: off).
AUTO_ERASE_METADATA = "auto_erase_seconds"
ACTION_LISTEN = "action_listen"
LANGUAGE_ENTITY = "lang_code"


def erase_delay(value: object) -> int | None:
    """A delay in whole seconds from a slot or metadata value; None when off or unreadable."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = int(value)  # slots hold floats (300.0), metadata ints
    except (ValueError, OverflowError):
        return None
    return seconds if seconds > 0 else None


def entities_of(message: Mapping[str, Any]) -> dict[str, str]:
    """The entities of a parsed message by name; the first value wins when a name repeats."""
    found: dict[str, str] = {}
    for entity in message.get("entities") or []:
        name = entity.get("entity")
        if name and name not in found:
            found[str(name)] = str(entity.get("value"))
    return found


def ranking_of(message: Mapping[str, Any]) -> tuple[tuple[str, float], ...]:
    """The intent ranking of a parsed message, as (intent, confidence) pairs; unreadable ones dropped."""
    ranking = []
    for entry in message.get("intent_ranking") or []:
        try:
            ranking.append((str(entry["name"]), float(entry["confidence"])))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(ranking)


def resolve_language(slots: Mapping[str, Any], hints: Mapping[str, Any]) -> str:
    """The reply language: explicit choice, clear detection, earlier turns, guess, client, hint, French."""
    previous = slots.get(LANGUAGE_SLOT)
    return languages.resolve(
        chosen=previous if slots.get(LANGUAGE_CHOSEN_SLOT) else None,
        detected=hints.get("detected_language"),
        previous=previous,
        guessed=hints.get("guessed_language"),
        client=hints.get("client_language"),
        hinted=hints.get("hinted_language"),
    )


def erase_after_of(metadata: Mapping[str, Any], slots: Mapping[str, Any]) -> int | None:
    """The auto-erase delay: the channel's when it sends one (null: off), else the slot's."""
    if AUTO_ERASE_METADATA in metadata:
        return erase_delay(metadata[AUTO_ERASE_METADATA])
    return erase_delay(slots.get(AUTO_ERASE_SLOT))


@dataclass(frozen=True)
class Turn:
    """The message being answered and the conversation state, read once from the tracker."""

    sender_id: str
    language: str
    intent: str | None
    entities: Mapping[str, str]
    text: str
    metadata: Mapping[str, Any]
    slots: Mapping[str, Any]
    erase_after: int | None
    active_loop: str | None = None
    # The model's intents for this message with their confidence, most likely first.
    ranking: tuple[tuple[str, float], ...] = ()

    @classmethod
    def of(cls, tracker: Tracker, follow_language_button: bool = False) -> Turn:
        """Read the tracker; a language button's choice wins when the action follows it."""
        message = tracker.latest_message or {}
        metadata: Mapping[str, Any] = message.get("metadata") or {}
        slots: Mapping[str, Any] = dict(tracker.slots)
        entities = entities_of(message)
        pressed = languages.normalise(entities.get(LANGUAGE_ENTITY)) if follow_language_button else None
        return cls(
            sender_id=str(tracker.sender_id),
            language=pressed or resolve_language(slots, metadata),
            intent=(message.get("intent") or {}).get("name"),
            entities=entities,
            text=str(message.get("text") or ""),
            metadata=metadata,
            slots=slots,
            erase_after=erase_after_of(metadata, slots),
            active_loop=tracker.active_loop_name,
            ranking=ranking_of(message),
        )

    @property
    def is_button(self) -> bool:
        """True when the message is a payload (a button or a command), not typed words."""
        return self.text.startswith("/")

    @property
    def chosen_language(self) -> str | None:
        """The supported language a language button carries, if any."""
        return languages.normalise(self.entities.get(LANGUAGE_ENTITY))

    def entity(self, name: str) -> str | None:
        """The value of an entity of the message (buttons carry them), or None."""
        return self.entities.get(name)

    def slot_text(self, name: str) -> str | None:
        """A slot as text, or None when empty."""
        value = self.slots.get(name)
        return None if value is None else str(value)

    def slot_flag(self, name: str) -> bool:
        """A boolean slot (empty is False)."""
        return bool(self.slots.get(name))

    def slot_list(self, name: str) -> list[str]:
        """A list slot as a fresh list of strings (empty when unset)."""
        return [str(value) for value in self.slots.get(name) or []]

    def replay_payload(self) -> str:
        """A payload that repeats this request: the button pressed, or the intent of free text
        with the other likely topics to offer beside its answer."""
        if self.is_button:
            return self.text
        others = self.alternatives
        if others:
            return payloads.replay_with_alternatives(self.intent or "menu", " ".join(others))
        return payloads.intent_only(self.intent or "menu")

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Other likely intents when the model guessed: from the ranking of typed words, or carried
        by a replayed request. None inside a form, where typed words answer its question."""
        if self.active_loop:
            return ()
        if self.is_button:
            return tuple(self.entities.get(ALTERNATIVES_ENTITY, "").split())
        return alternatives(self.ranking)

    def stamp(self, screen: Screen) -> Screen:
        """Tag a screen with the intent it answers and the delay after which it is erased.

        A screen that changes the delay (`AUTO_ERASE_CHANGED`) already carries the new one.
        """
        changed = screen.has(Directive.AUTO_ERASE_CHANGED)
        erase_after = (screen.erase_after or None) if changed else self.erase_after
        return replace(screen, intent=self.intent, erase_after=erase_after)


@dataclass(frozen=True)
class Reply:
    """What an action decided: the screens to show, in order, and the events to record."""

    screens: tuple[Screen, ...] = ()
    events: tuple[EventType, ...] = ()

    @classmethod
    def of(cls, *screens: Screen, events: Iterable[EventType] = ()) -> Reply:
        """A reply from screens and events."""
        return cls(screens, tuple(events))


def delay_changed(screen: Screen, seconds: int | None) -> Screen:
    """A screen that applies a new auto-erase delay (None or 0: off) to the whole conversation."""
    directives = screen.directives | {Directive.AUTO_ERASE_CHANGED}
    return replace(screen, erase_after=seconds or None, directives=directives)


def safety_question(language: str) -> Screen:
    """Can you write safely? The answer sets the discretion; then the request goes on."""
    buttons = (
        Button(tr(language, "safety.button.safe"), payloads.safety_answer("safe")),
        Button(tr(language, "safety.button.watched"), payloads.safety_answer("watched")),
        erase_button(language),
    )
    return Screen(tr(language, "safety.question"), language, buttons)


def ask_safety(turn: Turn) -> Reply:
    """The safety question, keeping the request to replay once it is answered."""
    pending = SlotSet(PENDING_REQUEST_SLOT, turn.replay_payload())
    return Reply.of(safety_question(turn.language), events=[pending])


def with_alternatives(turn: Turn, reply: Reply) -> Reply:
    """Add, after the answer, buttons to the other likely topics the answer does not already offer."""
    shown = {button.payload for screen in reply.screens for button in screen.buttons}
    others = [intent for intent in turn.alternatives if intent != turn.intent]
    buttons = [button for button in buttons_for(others, turn.language) if button.payload not in shown]
    if not buttons or not reply.screens:
        return reply
    offer = Screen(tr(turn.language, "suggestions.also"), turn.language, tuple(buttons))
    return replace(reply, screens=(*reply.screens, offer))


def failure_screen(turn: Turn | None) -> Screen:
    """The static fallback (menu and emergency numbers), in the turn's language when it was read."""
    if turn is None:
        return static_fallback(languages.DEFAULT)
    return turn.stamp(static_fallback(turn.language))


def answer_failure(
    dispatcher: CollectingDispatcher, turn: Turn | None, action: str, error: Exception
) -> list[EventType]:
    """Log the failure by type only (never a text), show the static fallback once, then listen."""
    logger.error("action %s failed: %s", action, type(error).__name__)
    dispatcher.utter_message(json_message=failure_screen(turn).to_payload())
    return [FollowupAction(ACTION_LISTEN)]  # ends Rasa's prediction loop: no retry, no burst


class ScreenAction(Action):
    """An action whose whole job is to show screens in the person's language."""

    action_name: str = ""
    # Sensitive screens first ask, once per conversation, whether the person can write safely.
    sensitive: bool = False
    # Answer in the language a language button carries (the language menu, a hand-off link).
    follows_language_button: bool = False
    # Offer the other likely topics beside the answer when the model guessed (not when the action
    # already offers its own choice of topics).
    offers_alternatives: bool = True

    def name(self) -> str:
        """The action name used in the domain and rules."""
        return self.action_name

    def respond(self, turn: Turn) -> Reply:
        """The one decision of the action: screens and events; subclasses override this."""
        raise NotImplementedError

    def needs_safety_check(self, turn: Turn) -> bool:
        """True for a sensitive screen when the safety question was not answered yet."""
        return self.sensitive and not turn.slot_flag(SAFETY_CHECKED_SLOT)

    def decide(self, turn: Turn) -> Reply:
        """The safety question before a sensitive answer; the action's own reply otherwise, with
        the other likely topics beside it when the model guessed."""
        if self.needs_safety_check(turn):
            return ask_safety(turn)
        reply = self.respond(turn)
        return with_alternatives(turn, reply) if self.offers_alternatives else reply

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Decide once, then send the screens, each stamped with the intent and the erase delay."""
        turn: Turn | None = None
        try:
            turn = Turn.of(tracker, self.follows_language_button)
            reply = self.decide(turn)
            messages = [turn.stamp(screen).to_payload() for screen in reply.screens]
        except Exception as error:  # noqa: BLE001 - a person in danger must never meet a crash or a loop
            return answer_failure(dispatcher, turn, self.name(), error)
        for message in messages:
            dispatcher.utter_message(json_message=message)
        return [SlotSet(LANGUAGE_SLOT, turn.language), *used_up(turn), *reply.events]


def used_up(turn: Turn) -> list[EventType]:
    """The request kept behind the safety question is forgotten once it is answered, not when the
    safety answer offers it: if that answer never reaches the person (the engine answered after
    the bot gave up, or the request's turn failed), tapping the safety answer again brings it back."""
    pending = turn.slot_text(PENDING_REQUEST_SLOT)
    return [SlotSet(PENDING_REQUEST_SLOT, None)] if pending and turn.text == pending else []
