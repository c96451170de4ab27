"""What the person's chat does for handovers, outside the engine: relayed answers, pauses, chat refs.

The words a person sends to the association go straight to the outbox (encrypted) and never
through the engine, so they are not kept in the conversation state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from core.common_screens import back_to_menu
from core.i18n import N_, tr
from core.screens import Screen
from storage.handovers import Handovers


class HandoverHooks:
    """Small calls the Telegram channel makes for handovers; each wakes the delivery when needed."""

    def __init__(self, handovers: Handovers, wake: Callable[[], None]) -> None:
        self._handovers = handovers
        self._wake = wake

    async def attach_chat(self, pseudonym: str, chat_id: int) -> None:
        """A request was stored or checked: remember where to tell the person about it."""
        await asyncio.to_thread(self._handovers.attach_chat, pseudonym, chat_id)
        self._wake()

    async def pause(self, pseudonym: str) -> None:
        """Quick exit: tell the association at once not to contact the person."""
        if await asyncio.to_thread(self._handovers.pause, pseudonym):
            self._wake()

    async def person_wrote(self, pseudonym: str) -> None:
        """The person is back: lift a pause and release what waited for them."""
        if await asyncio.to_thread(self._handovers.person_wrote, pseudonym):
            self._wake()

    async def open_reply(self, pseudonym: str, language: str) -> list[Screen]:
        """The person pressed "answer": their next message goes to the association."""
        reference = await asyncio.to_thread(self._handovers.open_reply, pseudonym)
        msgid = N_("handover.reply.write") if reference else N_("handover.reply.closed")
        return [Screen(tr(language, msgid), language, back_to_menu(language))]

    async def relay_answer(self, pseudonym: str, text: str, language: str) -> list[Screen] | None:
        """Relay the text if the person chose to answer; None lets the engine handle it."""
        reference = await asyncio.to_thread(self._handovers.take_reply, pseudonym, text)
        if reference is None:
            return None
        self._wake()
        return [Screen(tr(language, "handover.reply.sent"), language, back_to_menu(language))]
