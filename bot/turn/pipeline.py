"""The turn pipeline: every update of every channel goes through here, in one fixed order.

    parse once → quick exit and code word → danger → relay and held messages → flood gate
    → engine → effects (send, edit, record for erasure)

Channels only translate: their updates become an `Incoming`, and they show what the pipeline
asks through the `Channel` port. Each safety rule lives once, here (docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.engine import EngineClient, EngineUnavailableError
from bot.flood import FloodGate, Verdict
from bot.language_detection import Detection, LanguageDetector
from bot.session_memory import LanguageMemory
from bot.shared_flood import SharedFloodGate
from bot.turn.channel import Channel
from bot.turn.erasure import Eraser
from bot.turn.inputs import (
    ENGINE_TEXT_LIMIT,
    RELAY_LIMIT,
    AnswerAssociation,
    CodeWordCommand,
    Incoming,
    Input,
    Media,
    Payload,
    Person,
    QuickExit,
    Start,
    Words,
    clean_text,
    parse,
    spoken_form,
)
from bot.turn.locks import PersonLocks
from bot.turn.pending import PendingWrites
from bot.turn.quick_exit import QuickExit as QuickExitProcedure
from bot.turn.recent import RecentMessages
from bot.turn.shared_locks import SharedPersonLocks
from bot.turn.state_cache import PersonStateCache
from core import languages, payloads
from core.clock import Clock, utc_now
from core.common_screens import back_to_menu, emergency, slow_down, static_fallback, unsupported_media
from core.danger import contains_danger
from core.i18n import N_, tr
from core.keyed_hash import KeyedHasher
from core.screens import Directive, Screen
from monitoring.metrics import DANGER_SCREENS, ENGINE_FAILURES, TURN_SECONDS, TURNS
from storage.message_ledger import LedgerEntry
from storage.turns import AlsoInTransaction, PersonState, TurnStart, TurnStore, TurnWrites

logger = logging.getLogger(__name__)

MAX_SCREENS_PER_TURN = 6  # more means the engine is looping: never flood the person back
CODE_WORD_MIN_LENGTH = 3
CODE_WORD_OFF = "off"


class TurnPreemptedError(Exception):
    """A quick exit took over this person's turn while it waited for the engine."""


@dataclass(frozen=True)
class Turn:
    """One update of one person, parsed once, with their pseudonym and language resolved once."""

    incoming: Incoming
    pseudonym: str
    channel: Channel
    input: Input
    detection: Detection | None  # the language of free words, when it can be told
    language: str  # for screens built without the engine: detection, last reply, client, French

    @property
    def typed(self) -> str | None:
        """What the person typed (cleaned), or None for buttons and media."""
        if self.incoming.button or self.incoming.text is None:
            return None
        return clean_text(self.incoming.text)

    def entries(self, message_ids: list[int]) -> list[LedgerEntry]:
        """Ledger entries for messages of this turn's chat."""
        chat, channel = self.incoming.chat, self.channel.name
        return [LedgerEntry(self.pseudonym, chat, message_id, channel) for message_id in message_ids]


@dataclass
class PipelineParts:
    """What the pipeline is made of; built once per process by app.runtime."""

    hasher: KeyedHasher
    store: TurnStore
    engine: EngineClient
    detector: LanguageDetector
    memory: LanguageMemory
    flood: FloodGate | SharedFloodGate
    eraser: Eraser
    engine_intents: frozenset[str]
    wake_delivery: Callable[[], None] = lambda: None
    quick_exit_line: str = ""
    engine_timeout: float = 4.0
    clock: Clock = utc_now
    cache: PersonStateCache = field(default_factory=PersonStateCache)
    recent: RecentMessages = field(default_factory=RecentMessages)
    pending: PendingWrites = field(default_factory=PendingWrites)
    locks: PersonLocks | SharedPersonLocks = field(default_factory=PersonLocks)


class TurnPipeline:
    """Owns the whole turn for every channel."""

    def __init__(self, parts: PipelineParts) -> None:
        self._p = parts
        self.exits = QuickExitProcedure(
            parts.store,
            parts.eraser,
            parts.recent,
            parts.pending,
            parts.engine,
            parts.memory,
            parts.wake_delivery,
            parts.quick_exit_line,
            parts.clock,
        )
        self._in_flight: dict[str, asyncio.Future[list[Screen]]] = {}
        self._preempted: set[str] = set()

    # --- the turn ------------------------------------------------------------------------

    def pseudonym(self, person: Person) -> str:
        """The keyed pseudonym of a person: the only way storage, logs and the engine know them."""
        return self._p.hasher.pseudonym(person.channel, person.user_id)

    async def handle(self, incoming: Incoming, channel: Channel) -> None:
        """Answer one update, whatever happens: never silent, never a crash."""
        pseudonym = self.pseudonym(incoming.person)
        parsed = parse(incoming, self._p.engine_intents)
        if incoming.message_id is not None:  # known at once: an exit racing this turn deletes it
            self._p.recent.note([LedgerEntry(pseudonym, incoming.chat, incoming.message_id, channel.name)])
        if isinstance(parsed, QuickExit) or self._is_known_code_word(pseudonym, parsed):
            self._preempt(pseudonym)
        started, outcome = time.monotonic(), "answered"
        async with self._p.locks.of(pseudonym):
            turn = self._turn(incoming, pseudonym, channel, parsed)
            try:
                await self._answer(turn)
            except TurnPreemptedError:
                outcome = "preempted"
            except Exception as error:  # noqa: BLE001 - never silent: the static screen instead
                outcome = "failed"
                logger.error("turn failed: %s", type(error).__name__)
                await self._last_resort(turn)
        TURNS.labels(channel.name, input_kind(parsed), outcome).inc()
        TURN_SECONDS.labels(channel.name).observe(time.monotonic() - started)

    def _turn(self, incoming: Incoming, pseudonym: str, channel: Channel, parsed: Input) -> Turn:
        """The turn, with the language of its screens resolved once (under the person's lock)."""
        words = parsed.text[:ENGINE_TEXT_LIMIT] if isinstance(parsed, Words) else None
        found = self._p.detector.detection(words) if words else None
        language = self._language(pseudonym, incoming.person, found)
        return Turn(incoming, pseudonym, channel, parsed, found, language)

    async def _answer(self, turn: Turn) -> None:
        # Counted first (a redelivered update once); applied after exits and danger.
        verdict = self._p.flood.check(turn.pseudonym, turn.incoming.update_key)
        if isinstance(turn.input, QuickExit):
            await self._quick_exit(turn)
            return
        if isinstance(turn.input, CodeWordCommand):
            await self._code_word_command(turn, turn.input)
            return
        typed = turn.typed
        danger = typed is not None and contains_danger(typed)
        state, start = await self._begin(turn, danger, verdict)
        if start.code_word:
            await self._quick_exit(turn)
            return
        if start.delivery_due:
            self._p.wake_delivery()
        screens = await self._screens(turn, state, start, danger, verdict)
        await self._show(turn, state, screens, deferred=verdict is not Verdict.PROCESS)

    async def _begin(self, turn: Turn, danger: bool, verdict: Verdict) -> tuple[PersonState, TurnStart]:
        """The person's state, and the handover hooks for free words: the database only when needed."""
        words = turn.input.text if isinstance(turn.input, Words) else None
        candidate = self._p.store.code_word_digest(turn.pseudonym, spoken_form(words)) if words else None
        cached = self._p.cache.get(turn.pseudonym)
        if cached is not None and not (words is not None and cached.open_requests):
            is_code_word = candidate is not None and candidate == cached.code_word_hash
            return cached, TurnStart(cached, code_word=is_code_word)
        hooked = words[:RELAY_LIMIT] if words is not None else None
        start = await asyncio.to_thread(self._p.store.begin, turn.pseudonym, candidate, hooked, danger)
        self._p.cache.put(turn.pseudonym, start.state)
        return start.state, start

    async def _screens(
        self, turn: Turn, state: PersonState, start: TurnStart, danger: bool, verdict: Verdict
    ) -> list[Screen]:
        """What to show, in the pipeline's order of precedence."""
        language = turn.language
        if start.relayed_to is not None:
            return [Screen(tr(language, "handover.reply.sent"), language, back_to_menu(language))]
        if isinstance(turn.input, AnswerAssociation):
            return await self._open_reply(turn, language)
        if verdict is not Verdict.PROCESS:
            if danger:  # beyond the flood limit, without the engine
                return [emergency(language, "danger")]
            return [slow_down(language)] if verdict is Verdict.WARN else []
        if isinstance(turn.input, Media):
            return [unsupported_media(language)]
        return await self._ask_engine(turn, state, danger)

    async def _open_reply(self, turn: Turn, language: str) -> list[Screen]:
        """The person pressed "answer them": their next text goes to the association."""
        reference = await asyncio.to_thread(self._p.store.open_reply, turn.pseudonym)
        if reference is not None:
            self._p.cache.update(turn.pseudonym, open_requests=True)
        msgid = N_("handover.reply.write") if reference else N_("handover.reply.closed")
        return [Screen(tr(language, msgid), language, back_to_menu(language))]

    # --- the engine ----------------------------------------------------------------------

    async def _ask_engine(self, turn: Turn, state: PersonState, danger: bool) -> list[Screen]:
        """The engine's screens; the static ones when it fails; the emergency numbers on danger."""
        await self.exits.engine_forgot(turn.pseudonym, self._p.engine_timeout)
        text = self._engine_text(turn.input)
        found, language = turn.detection, turn.language
        metadata = {
            "channel": turn.incoming.person.channel,
            "client_language": languages.normalise(turn.incoming.person.client_language),
            "detected_language": found.language if found and found.sure else None,
            "guessed_language": found.guessed if found else None,
            "hinted_language": found.hinted if found else None,
            "auto_erase_seconds": state.auto_erase_seconds,
        }
        if turn.incoming.update_key:  # a repeat of this update gets the same answers, not a second turn
            metadata["turn_key"] = f"{turn.incoming.update_key}:0"
            metadata["danger_words"] = danger
        try:
            screens = await self._call_engine(turn, text, metadata)
        except EngineUnavailableError:
            ENGINE_FAILURES.inc()
            screens = [emergency(language, "danger") if danger else static_fallback(language)]
        else:
            screens = await self._follow_on(turn, screens, metadata)
        screens = tidy(screens)
        if danger and not any(screen.intent == "danger" for screen in screens):
            screens = [emergency(language, "danger")]
        if any(screen.intent == "danger" for screen in screens):
            DANGER_SCREENS.labels(turn.channel.name).inc()
        self._p.memory.remember(turn.pseudonym, screens[-1].language)
        return screens

    async def _call_engine(self, turn: Turn, text: str, metadata: dict[str, Any]) -> list[Screen]:
        """One exchange with the engine, abandoned at once if a quick exit takes over the turn."""
        call = asyncio.ensure_future(self._p.engine.send(turn.pseudonym, text, metadata, turn.language))
        self._in_flight[turn.pseudonym] = call
        try:
            return await call
        except asyncio.CancelledError:
            if turn.pseudonym in self._preempted:
                self._preempted.discard(turn.pseudonym)
                raise TurnPreemptedError from None
            raise
        finally:
            self._in_flight.pop(turn.pseudonym, None)

    async def _follow_on(self, turn: Turn, screens: list[Screen], metadata: dict[str, Any]) -> list[Screen]:
        """A screen that asks for it (the safety answer) is followed by the request kept before it.

        Only a payload is followed, once: typed words were checked for danger when they came, and a
        follow-on never asks for another. The delay a screen just set applies to what follows.
        """
        request = next((screen.then for screen in screens if screen.then), None)
        if request is None or not request.startswith("/") or len(request) > ENGINE_TEXT_LIMIT:
            return screens
        for screen in screens:
            if screen.has(Directive.AUTO_ERASE_CHANGED):
                metadata = {**metadata, "auto_erase_seconds": screen.erase_after}
        if turn.incoming.update_key:
            metadata = {**metadata, "turn_key": f"{turn.incoming.update_key}:1"}
        try:
            answer = await self._call_engine(turn, request, metadata)
        except EngineUnavailableError:
            answer = [static_fallback(turn.language)]
        return screens + [replace(screen, then=None) for screen in answer]

    @staticmethod
    def _engine_text(parsed: Input) -> str:
        """What the engine reads."""
        if isinstance(parsed, Words):
            return parsed.text[:ENGINE_TEXT_LIMIT]
        if isinstance(parsed, Start):
            return payloads.make("handover_via", a=parsed.association, lang_code=parsed.language)
        if isinstance(parsed, Payload):
            return parsed.engine_text()
        return payloads.MENU

    def _is_known_code_word(self, pseudonym: str, parsed: Input) -> bool:
        """The text is the person's code word, as far as the cached state knows (no database)."""
        cached = self._p.cache.get(pseudonym)
        if cached is None or cached.code_word_hash is None or not isinstance(parsed, Words):
            return False
        return self._p.store.code_word_digest(pseudonym, spoken_form(parsed.text)) == cached.code_word_hash

    def _preempt(self, pseudonym: str) -> None:
        """A quick exit does not wait for the engine: the turn waiting for it is abandoned."""
        call = self._in_flight.get(pseudonym)
        if call is not None and not call.done():
            self._preempted.add(pseudonym)
            call.cancel()

    # --- effects -------------------------------------------------------------------------

    async def _show(self, turn: Turn, state: PersonState, screens: list[Screen], deferred: bool) -> None:
        """Apply the directives, show the screens, record every id with the auto-erase time."""
        if any(screen.has(Directive.ERASE) for screen in screens):
            await self._quick_exit(turn)
            return
        writes = self._writes_for(turn, state, screens)
        if turn.incoming.message_id is not None:
            writes.records += turn.entries([turn.incoming.message_id])
        try:
            for screen in screens:
                if screen.has(Directive.EDIT) and turn.incoming.pressed_id is not None:
                    chat, pressed = turn.incoming.chat, turn.incoming.pressed_id
                    await turn.channel.edit(chat, pressed, screen, turn.incoming.pressed_text)
                    continue
                shown = turn.entries(await turn.channel.send(turn.incoming.chat, screen))
                self._p.recent.note(shown)
                writes.records += shown
        finally:  # what was shown is recorded, even when a later screen could not be sent
            await self._commit(turn.pseudonym, writes, deferred=deferred)

    def _writes_for(self, turn: Turn, state: PersonState, screens: list[Screen]) -> TurnWrites:
        """The settings the screens change, and the auto-erase time of this turn's messages."""
        writes = TurnWrites(delete_after=self._due(state.auto_erase_seconds))
        for screen in screens:
            if screen.has(Directive.AUTO_ERASE_CHANGED):
                seconds = screen.erase_after or None
                writes.auto_erase, writes.delete_after = (seconds,), self._due(seconds)
                self._p.cache.update(turn.pseudonym, auto_erase_seconds=seconds)
            if screen.has(Directive.HANDOVER_CHAT):
                writes.attach_chat, writes.attach_channel = turn.incoming.chat, turn.channel.name
                self._p.cache.update(turn.pseudonym, open_requests=True)
        return writes

    async def _commit(
        self,
        pseudonym: str,
        writes: TurnWrites,
        deferred: bool = False,
        also: AlsoInTransaction | None = None,
    ) -> None:
        """One transaction for the turn; kept in memory and retried when the database cannot take it."""
        if writes.empty() and also is None:
            return
        if deferred:  # a flood: no database work on the person's path
            self._p.pending.add(pseudonym, writes, also)
            return
        try:
            await asyncio.to_thread(self._p.store.end, pseudonym, writes, also)
        except Exception as error:  # noqa: BLE001 - nothing lost: the maintenance task retries
            logger.warning("turn not recorded yet: %s", type(error).__name__)
            self._p.pending.add(pseudonym, writes, also)

    def _due(self, seconds: int | None) -> datetime | None:
        """When messages shown now are due for auto-erase (None: off)."""
        return self._p.clock() + timedelta(seconds=seconds) if seconds else None

    # --- paths that bypass the engine ----------------------------------------------------

    async def _quick_exit(self, turn: Turn) -> None:
        await self.exits.run(turn.pseudonym, turn.channel, turn.incoming.chat, turn.incoming.message_id)

    async def _code_word_command(self, turn: Turn, command: CodeWordCommand) -> None:
        """Set, replace or remove the code word; the message showing it is deleted at once."""
        language = turn.language
        if turn.incoming.message_id is not None:
            shown = turn.entries([turn.incoming.message_id])
            erased = await self._p.eraser.erase(shown)
            self._p.eraser.retry_later(erased.retry, erased.retry_after)
            if erased.retry:  # kept in the ledger too, due now: a restart still deletes it
                await self._commit(turn.pseudonym, TurnWrites(erased.retry, self._p.clock()))
            self._p.recent.forget(turn.pseudonym, {turn.incoming.message_id})
        word = spoken_form(command.argument)
        if word == CODE_WORD_OFF:
            await asyncio.to_thread(self._p.store.set_code_word, turn.pseudonym, None)
            self._p.cache.update(turn.pseudonym, code_word_hash=None)
            msgid = N_("codeword.cleared")
        elif len(word) < CODE_WORD_MIN_LENGTH or word.startswith("/"):
            msgid = N_("codeword.usage")
        else:
            await asyncio.to_thread(self._p.store.set_code_word, turn.pseudonym, word)
            digest = self._p.store.code_word_digest(turn.pseudonym, word)
            self._p.cache.update(turn.pseudonym, code_word_hash=digest)
            msgid = N_("codeword.saved")
        state = await self._state(turn.pseudonym)
        ids = await turn.channel.send(turn.incoming.chat, Screen(tr(language, msgid), language))
        writes = TurnWrites(turn.entries(ids), self._due(state.auto_erase_seconds))
        self._p.recent.note(writes.records)
        await self._commit(turn.pseudonym, writes)

    async def _last_resort(self, turn: Turn) -> None:
        """After a failure: the static screen (menu and emergency numbers), never for a quick exit."""
        if isinstance(turn.input, QuickExit):
            return
        language = turn.language
        cached = self._p.cache.get(turn.pseudonym)
        due = self._due(cached.auto_erase_seconds if cached else None)
        incoming = [turn.incoming.message_id] if turn.incoming.message_id is not None else []
        try:
            ids = await turn.channel.send(turn.incoming.chat, static_fallback(language))
            self._p.recent.note(turn.entries(ids))
            self._p.pending.add(turn.pseudonym, TurnWrites(turn.entries([*ids, *incoming]), due))
        except Exception as error:  # noqa: BLE001 - nothing else can be done here
            logger.error("fallback not shown: %s", type(error).__name__)

    # --- messages the person did not ask for now ------------------------------------------

    async def deliver(
        self,
        pseudonym: str,
        channel: Channel,
        chat: int | str,
        screen: Screen,
        still_wanted: Callable[[], bool],
        also: AlsoInTransaction | None = None,
    ) -> bool:
        """Show an association's notice or words: in order with the person's turns, never during or
        after a quick exit, recorded with their auto-erase time. False when it must wait."""
        async with self._p.locks.of(pseudonym):
            if self.exits.holds(pseudonym) or not await asyncio.to_thread(still_wanted):
                return False
            state = await self._state(pseudonym)
            ids = await channel.send(chat, screen)
            entries = [LedgerEntry(pseudonym, chat, message_id, channel.name) for message_id in ids]
            self._p.recent.note(entries)
            await self._commit(pseudonym, TurnWrites(entries, self._due(state.auto_erase_seconds)), also=also)
            return True

    # --- background ----------------------------------------------------------------------

    async def maintain(self) -> None:
        """One round of upkeep: retry pending writes and interrupted exits, prune memories."""
        while (item := self._p.pending.first()) is not None:
            try:
                await asyncio.to_thread(self._p.store.end, item.pseudonym, item.writes, item.also)
            except Exception as error:  # noqa: BLE001 - still unavailable: next round
                logger.warning("pending writes wait for the database: %s", type(error).__name__)
                break
            self._p.pending.done(item)
        await self.exits.finish_unfinished()
        self._p.memory.prune()
        self._p.flood.prune()
        self._p.cache.prune()
        self._p.recent.prune()

    async def maintain_forever(self, every_seconds: float = 1.0) -> None:
        """Upkeep until cancelled."""
        while True:
            try:
                await self.maintain()
            except Exception as error:  # noqa: BLE001 - keep going whatever one round did
                logger.error("maintenance round failed: %s", type(error).__name__)
            await asyncio.sleep(every_seconds)

    async def idle(self, pseudonym: str, timeout: float = 10.0) -> None:
        """Wait until the person's current turn or exit is over and the engine forgot what it must."""
        async with self._p.locks.of(pseudonym):
            pass
        await self.exits.engine_forgot(pseudonym, timeout)

    # --- helpers -------------------------------------------------------------------------

    async def _state(self, pseudonym: str) -> PersonState:
        cached = self._p.cache.get(pseudonym)
        if cached is not None:
            return cached
        state = await asyncio.to_thread(self._p.store.state, pseudonym)
        self._p.cache.put(pseudonym, state)
        return state

    def _language(self, pseudonym: str, person: Person, found: Detection | None) -> str:
        """The language of a screen built without the engine: detection, last reply, client, French."""
        return languages.resolve(
            detected=found.language if found and found.sure else None,
            previous=self._p.memory.recall(pseudonym),
            guessed=found.guessed if found else None,
            client=person.client_language,
            hinted=found.hinted if found else None,
        )


def input_kind(parsed: Input) -> str:
    """The kind of input, for the turn counter: a class name, never its content."""
    return type(parsed).__name__.lower()


def tidy(screens: list[Screen]) -> list[Screen]:
    """At most MAX_SCREENS_PER_TURN screens, and never the same screen twice in a row."""
    kept: list[Screen] = []
    for screen in screens:
        if not kept or kept[-1] != screen:
            kept.append(screen)
    return kept[:MAX_SCREENS_PER_TURN]
