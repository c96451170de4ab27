"""The port every channel implements: show a screen, edit one, delete messages.

The pipeline decides; a channel only renders screens in its medium and reports the ids of
what it showed, so that the pipeline can record them for erasure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from core.screens import Screen

ChatRef = int | str


class ChannelUnavailableError(Exception):
    """A message could not be shown, even after the channel's own retries."""


@dataclass(frozen=True)
class Deletion:
    """What became of a request to delete messages."""

    done: frozenset[int] = frozenset()  # deleted, or gone for good (already deleted, too old)
    retry: frozenset[int] = frozenset()  # not deleted for now (rate limit, network): try again
    retry_after: float = 0.0  # seconds the channel asked to wait before trying again


class Channel(Protocol):
    """A medium the person talks through (Telegram, the console, later the web chat)."""

    name: str

    async def send(self, chat: ChatRef, screen: Screen) -> list[int]:
        """Show a screen (silently); return the id of every message it took, in order."""

    async def edit(self, chat: ChatRef, message_id: int, screen: Screen, current_text: str | None) -> None:
        """Replace a shown message by this screen (only its buttons when the text is unchanged)."""

    async def delete(self, chat: ChatRef, message_ids: Sequence[int]) -> Deletion:
        """Delete messages; never raises for messages that cannot be deleted."""
