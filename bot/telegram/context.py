"""What the Telegram handlers reach: one typed object, under one key of the application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from bot.handover.delivery import DeliveryWorker
from bot.telegram.channel import TelegramChannel
from bot.turn.pipeline import TurnPipeline
from core.keyed_hash import KeyedHasher
from storage.directory import Directory
from storage.handovers import Handovers

if TYPE_CHECKING:
    from app.bot_runtime import BotRuntime

TELEGRAM_KEY = "telegram"


@dataclass(frozen=True)
class GroupContext:
    """What the association group handlers need."""

    directory: Directory
    handovers: Handovers
    wake_delivery: Callable[[], None]
    hasher: KeyedHasher
    language: str
    inbox_url: str

    def actor(self, update: Update) -> str:
        """The member who acted, as a pseudonym."""
        user = update.effective_user
        return self.hasher.pseudonym("telegram-member", user.id if user else "unknown")


@dataclass(frozen=True)
class TelegramRuntime:
    """The process runtime, with the channel port, the group side and the delivery of this bot."""

    runtime: BotRuntime
    channel: TelegramChannel
    groups: GroupContext
    delivery: DeliveryWorker

    @property
    def pipeline(self) -> TurnPipeline:
        """The turn pipeline every private update goes through."""
        return self.runtime.pipeline


class ChannelContext(CallbackContext[ExtBot, dict, dict, dict]):
    """PTB's context with a typed view of what the handlers need."""

    @property
    def telegram(self) -> TelegramRuntime:
        """The Telegram runtime of this application."""
        return self.bot_data[TELEGRAM_KEY]
