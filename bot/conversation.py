"""One message in, screens out: the channel-independent path shared by Telegram and console."""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass

from bot.engine import EngineClient, EngineUnavailableError
from bot.flood import FloodGate, Verdict
from bot.language_detection import LanguageDetector
from bot.session_memory import LanguageMemory
from core import languages, payloads
from core.common_screens import slow_down, static_fallback, unsupported_media
from core.danger import contains_danger
from core.i18n import tr
from core.keyed_hash import KeyedHasher
from core.screens import Directive, Screen


def is_quick_exit(text: str) -> bool:
    """The quick-exit command or button."""
    return text.strip().lower().split("@")[0] in payloads.QUICK_EXIT_COMMANDS


@dataclass(frozen=True)
class Person:
    """Who wrote, as the channel knows them; the raw id never leaves this object."""

    channel: str
    user_id: str
    client_language: str | None = None


class ConversationService:
    """Pseudonymises, picks language hints, asks the engine, and never stays silent."""

    def __init__(
        self,
        engine: EngineClient,
        hasher: KeyedHasher,
        detector: LanguageDetector,
        memory: LanguageMemory,
        flood: FloodGate | None = None,
    ) -> None:
        self._engine = engine
        self._hasher = hasher
        self._detector = detector
        self._memory = memory
        self._flood = flood
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._last_pruned = time.monotonic()

    def pseudonym(self, person: Person) -> str:
        """The keyed pseudonym of a person."""
        return self._hasher.pseudonym(person.channel, person.user_id)

    def language_for(self, person: Person, detected: str | None = None, guessed: str | None = None) -> str:
        """Best language without the engine: detection, last reply, a guess, client, French."""
        previous = self._memory.recall(self.pseudonym(person))
        return languages.resolve(
            detected=detected, previous=previous, guessed=guessed, client=person.client_language
        )

    async def handle_text(self, person: Person, text: str) -> list[Screen]:
        """Answer one text message (or button payload), in order for each person."""
        pseudonym = self.pseudonym(person)
        self._prune_now_and_then()
        async with self._lock(pseudonym):
            if is_quick_exit(text):  # before flood control and without the engine: always works
                return await self._quick_exit(person)
            held_back = self._flood_reply(person, pseudonym, text)
            if held_back is not None:
                return held_back
            return await self._ask_engine(person, pseudonym, text)

    async def handle_unsupported(self, person: Person) -> list[Screen]:
        """Answer a photo, voice message, sticker, location or file without touching it."""
        pseudonym = self.pseudonym(person)
        async with self._lock(pseudonym):
            held_back = self._flood_reply(person, pseudonym, "")
            return held_back if held_back is not None else [unsupported_media(self.language_for(person))]

    async def forget(self, person: Person) -> bool:
        """Erase what the engine and this process hold about the person."""
        pseudonym = self.pseudonym(person)
        self._memory.forget(pseudonym)
        return await self._engine.forget(pseudonym)

    async def _quick_exit(self, person: Person) -> list[Screen]:
        """Forget everything about the person; the channel then erases the messages."""
        language = self.language_for(person)
        await self.forget(person)
        return [Screen(tr(language, "erase.done"), language, directives=frozenset({Directive.ERASE}))]

    def _prune_now_and_then(self, every_seconds: float = 60.0) -> None:
        """Drop expired per-person memory so a long-running bot stays small."""
        if time.monotonic() - self._last_pruned < every_seconds:
            return
        self._last_pruned = time.monotonic()
        self._memory.prune()
        if self._flood is not None:
            self._flood.prune()

    def _lock(self, pseudonym: str) -> asyncio.Lock:
        """The lock that keeps one person's messages in order."""
        lock = self._locks.get(pseudonym)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[pseudonym] = lock
        return lock

    def _flood_reply(self, person: Person, pseudonym: str, text: str) -> list[Screen] | None:
        """None to process the message; otherwise what to answer instead. Danger always passes."""
        if self._flood is None or contains_danger(text):
            return None
        verdict = self._flood.check(pseudonym)
        if verdict is Verdict.PROCESS:
            return None
        return [slow_down(self.language_for(person))] if verdict is Verdict.WARN else []

    async def _ask_engine(self, person: Person, pseudonym: str, text: str) -> list[Screen]:
        """Send to the engine; fall back to the static screen when it fails or is slow."""
        found = self._detector.detection(text)
        detected = found.language if found and found.sure else None
        guessed = found.language if found and not found.sure else None
        fallback_language = self.language_for(person, detected, guessed)
        metadata = {
            "channel": person.channel,
            "client_language": languages.normalise(person.client_language),
            "detected_language": detected,
            "guessed_language": guessed,
        }
        try:
            screens = await self._engine.send(pseudonym, text, metadata, fallback_language)
        except EngineUnavailableError:
            return [static_fallback(fallback_language)]
        self._memory.remember(pseudonym, screens[-1].language)
        if any(Directive.ERASE in screen.directives for screen in screens):
            self._memory.forget(pseudonym)
            await self._engine.forget(pseudonym)
        return screens
