"""One typed runtime per process, built by one factory from the settings.

The bot process and the action server each build theirs once at start; nothing else reads the
environment or opens the database.
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
        hasher = KeyedHasher(settings.pseudonym_key)
        stores = open_stores(settings.database_url, settings.data_key, hasher, settings.handover_policy)
        return cls(settings, hasher, stores)


@cache
def action_runtime() -> ActionRuntime:
    """The action server's runtime, built on first use from the environment."""
    return ActionRuntime.build(load_settings())


def build_stores(settings: Settings, import_seed: bool = True) -> Stores:
    """The stores of a process or command, from the settings."""
    hasher = KeyedHasher(settings.pseudonym_key)
    return open_stores(
        settings.database_url, settings.data_key, hasher, settings.handover_policy, import_seed=import_seed
    )
