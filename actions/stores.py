"""The handover storage used by the action server, built once from the settings on first use."""

from __future__ import annotations

from functools import lru_cache

from bot.config import load_settings
from bot.handover_stores import HandoverStores, build_handover_stores
from storage.directory import Directory
from storage.handovers import Handovers


@lru_cache(maxsize=1)
def _stores() -> HandoverStores:
    return build_handover_stores(load_settings())


def directory() -> Directory:
    """The live directory of associations."""
    return _stores().directory


def handovers() -> Handovers:
    """Handover requests and their outbox."""
    return _stores().handovers
