"""The action server's runtime, and the stores of any process, built once from the settings.

The action server imports this module and nothing of the bot (a convention test checks it);
the bot process builds its own runtime in app/bot_runtime.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.config import Settings, load_settings
from core.keyed_hash import KeyedHasher
from storage.stores import Stores, open_stores


@dataclass(frozen=True)
class ActionRuntime:
    """What the custom actions need: the stores, and the keyed hash."""

    settings: Settings
    hasher: KeyedHasher
    stores: Stores

    @classmethod
    def build(cls, settings: Settings) -> ActionRuntime:
        """Open the stores once for the action server."""
        hasher = KeyedHasher(settings.pseudonym_key)
        return cls(settings, hasher, build_stores(settings, hasher=hasher))


@cache
def action_runtime() -> ActionRuntime:
    """The action server's runtime, built on first use from the environment."""
    return ActionRuntime.build(load_settings())


def build_stores(settings: Settings, import_seed: bool = True, hasher: KeyedHasher | None = None) -> Stores:
    """The stores of a process or command, from the settings."""
    return open_stores(
        settings.database_url,
        settings.data_key,
        hasher or KeyedHasher(settings.pseudonym_key),
        settings.handover_policy,
        import_seed=import_seed,
    )
