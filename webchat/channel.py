"""The web chat as a channel of the turn pipeline: what the pipeline shows a conversation waits
here, in memory only, until the page fetches it (in the answer to a message, or when it polls);
deletions are passed on the same way. Nothing of it is ever written to disk."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.turn.channel import ChatRef, Deletion
from core.handoff_link import web_link
from core.screens import Screen

CHANNEL = "web"
RIGHT_TO_LEFT = frozenset({"ar"})


def screen_record(message_id: int, screen: Screen, link_base: str = "") -> dict[str, Any]:
    """A screen as the page draws it; a worker's hand-off screen gets the web chat's link and QR code."""
    record: dict[str, Any] = {
        "id": message_id,
        "text": screen.text,
        "language": screen.language,
        "dir": "rtl" if screen.language in RIGHT_TO_LEFT else "ltr",
        "buttons": [{"title": b.title, "payload": b.payload} for b in screen.buttons],
    }
    if screen.handoff and link_base:
        record["handoff"] = {"url": web_link(link_base, screen.handoff), "qr": f"/qr/{screen.handoff}.svg"}
    return record


@dataclass
class Mailbox:
    """What one conversation has not fetched yet."""

    shown: list[dict[str, Any]] = field(default_factory=list)
    deleted: set[int] = field(default_factory=set)
    seen: float = 0.0


class WebChannel:
    """Keeps each conversation's new screens and deletions until its page takes them."""

    name = CHANNEL

    def __init__(
        self, idle_seconds: float, link_base: str = "", clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.link_base = link_base  # the web chat's address, for hand-off links
        self._ids = itertools.count(1)
        self._boxes: dict[ChatRef, Mailbox] = {}
        self._idle = idle_seconds
        self._clock = clock

    async def send(self, chat: ChatRef, screen: Screen) -> list[int]:
        message_id = next(self._ids)
        self._box(chat).shown.append(screen_record(message_id, screen, self.link_base))
        return [message_id]

    async def edit(self, chat: ChatRef, message_id: int, screen: Screen, current_text: str | None) -> None:
        self._box(chat).shown.append(
            screen_record(message_id, screen, self.link_base)
        )  # the page replaces it

    async def delete(self, chat: ChatRef, message_ids: Sequence[int]) -> Deletion:
        box = self._box(chat)
        gone = set(message_ids)
        box.shown = [record for record in box.shown if record["id"] not in gone]
        box.deleted |= gone
        return Deletion(done=frozenset(message_ids))

    def take(self, chat: ChatRef) -> dict[str, Any]:
        """New screens and deletions of a conversation since the last call."""
        box = self._box(chat)
        taken = {"messages": box.shown, "deleted": sorted(box.deleted)}
        box.shown, box.deleted = [], set()
        return taken

    def forget(self, chat: ChatRef) -> None:
        """The conversation ended (quick exit): nothing of it stays here."""
        self._boxes.pop(chat, None)

    def known(self, chat: ChatRef) -> bool:
        return chat in self._boxes

    def expire(self) -> int:
        """Forget conversations idle for longer than the idle time; how many."""
        now = self._clock()
        idle = [chat for chat, box in self._boxes.items() if now - box.seen > self._idle]
        for chat in idle:
            del self._boxes[chat]
        return len(idle)

    def _box(self, chat: ChatRef) -> Mailbox:
        box = self._boxes.setdefault(chat, Mailbox())
        box.seen = self._clock()
        return box
