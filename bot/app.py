"""Build the runtime objects from settings (explicit factory: nothing heavy at import time)."""

from __future__ import annotations

from app.config import Settings
from bot.conversation import ConversationService
from bot.engine import EngineClient
from bot.flood import FloodGate
from bot.language_detection import LanguageDetector
from bot.session_memory import LanguageMemory
from core.i18n import check_catalogs
from core.keyed_hash import KeyedHasher
from storage.crypto import FieldCipher
from storage.database import make_engine, migrate
from storage.exit_words import ExitWords
from storage.message_ledger import MessageLedger


def build_service(settings: Settings, with_flood_control: bool) -> ConversationService:
    """The conversation service wired to the engine; flood control for public channels."""
    check_catalogs()
    flood = (
        FloodGate(settings.flood_max_messages, settings.flood_window_seconds) if with_flood_control else None
    )
    return ConversationService(
        engine=EngineClient(settings.rasa_url, settings.rasa_token, settings.engine_timeout),
        hasher=KeyedHasher(settings.pseudonym_key),
        detector=LanguageDetector(),
        memory=LanguageMemory(settings.conversation_ttl_seconds),
        flood=flood,
    )


def build_ledger(settings: Settings) -> MessageLedger:
    """The message ledger, on a database migrated to the latest schema."""
    migrate(settings.database_url)
    return MessageLedger(make_engine(settings.database_url), FieldCipher(settings.data_key))


def build_exit_words(settings: Settings) -> ExitWords:
    """Quick-exit code words, on a database migrated to the latest schema."""
    migrate(settings.database_url)
    return ExitWords(make_engine(settings.database_url), KeyedHasher(settings.pseudonym_key))
