"""The bot process's runtime, built once by one factory from the settings.

Stores, the engine client, the turn pipeline, erasure and the background tasks; channels
(Telegram, the console) attach themselves to it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.config import REPO_ROOT, Settings
from app.runtime import build_stores
from bot.engine import EngineClient
from bot.flood import FloodGate
from bot.language_detection import LanguageDetector
from bot.session_memory import LanguageMemory
from bot.shared_flood import SharedFloodGate
from bot.turn.channel import Channel
from bot.turn.erasure import Eraser
from bot.turn.inputs import known_intents
from bot.turn.pipeline import PipelineParts, TurnPipeline
from bot.turn.shared_locks import SharedPersonLocks
from bot.turn.state_cache import PersonStateCache
from core import language_model
from core.i18n import check_catalogs
from core.keyed_hash import KeyedHasher
from storage.stores import Stores

DOMAIN_FILE = REPO_ROOT / "dialogues" / "domain.yml"
UNLIMITED = 10**9  # the console has no flood limit: it is a local tool, not a public door


@dataclass
class BotRuntime:
    """The bot process: stores, the engine client, the turn pipeline, erasure, background tasks."""

    settings: Settings
    hasher: KeyedHasher
    stores: Stores
    engine: EngineClient
    eraser: Eraser
    pipeline: TurnPipeline
    channels: dict[str, Channel]
    delivery_wake: asyncio.Event
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    @classmethod
    def build(
        cls, settings: Settings, flood_control: bool = True, domain_file: Path = DOMAIN_FILE
    ) -> BotRuntime:
        """Everything the bot process needs, once; channels attach themselves afterwards."""
        check_catalogs()
        hasher = KeyedHasher(settings.pseudonym_key)
        stores = build_stores(settings, hasher=hasher)
        engine = EngineClient(settings.rasa_url, settings.rasa_token, settings.engine_timeout)
        channels: dict[str, Channel] = {}
        eraser = Eraser(stores.ledger, channels)
        wake = asyncio.Event()
        limit = settings.flood_max_messages if flood_control else UNLIMITED
        shared = (
            shared_state(settings, limit)
            if settings.redis_url
            else {"flood": FloodGate(limit, settings.flood_window_seconds)}
        )
        parts = PipelineParts(
            hasher=hasher,
            store=stores.turns,
            engine=engine,
            detector=LanguageDetector(
                model=language_model.load(language_model.path_beside(settings.model_path))
            ),
            memory=LanguageMemory(settings.conversation_ttl_seconds),
            eraser=eraser,
            engine_intents=known_intents(domain_file),
            wake_delivery=wake.set,
            quick_exit_line=settings.quick_exit_line,
            engine_timeout=settings.engine_timeout,
            **shared,
        )
        return cls(settings, hasher, stores, engine, eraser, TurnPipeline(parts), channels, wake)

    def attach(self, channel: Channel) -> None:
        """A channel this process serves: its messages can be erased from here."""
        self.channels[channel.name] = channel

    def wake_delivery(self) -> None:
        """Something is due in the outbox."""
        self.delivery_wake.set()

    def start_background(self, *extra: Coroutine[Any, Any, None]) -> None:
        """Start auto-erase, the pipeline's upkeep and any channel-specific loop."""
        loops = [
            self.eraser.run_forever(self.settings.erase_sweep_seconds),
            self.pipeline.maintain_forever(),
            *extra,
        ]
        self.tasks.extend(asyncio.ensure_future(loop) for loop in loops)

    async def stop_background(self) -> None:
        """Stop the background tasks and release the engine client."""
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.tasks.clear()
        await self.pipeline.exits.stop()
        await self.engine.close()


LOCK_LEASE = 15.0  # renewed while a turn goes on; what a person waits at most after a crash


def shared_state(settings: Settings, flood_limit: int) -> dict[str, Any]:
    """With REDIS_URL, what several bot instances must share: each person's lock and flood window,
    and no cached person state (another instance may have changed it: a new code word)."""
    import redis
    import redis.asyncio

    wait = settings.engine_timeout * 3 + 10  # a turn's longest wait, with room
    return {
        "locks": SharedPersonLocks(redis.asyncio.Redis.from_url(settings.redis_url), LOCK_LEASE, wait),
        "flood": SharedFloodGate(
            redis.Redis.from_url(settings.redis_url), flood_limit, settings.flood_window_seconds
        ),
        "cache": PersonStateCache(ttl_seconds=0),
    }
