"""A delivery process for tests: `deliver` sends what is due once; `die` claims it and is killed.

`die` stands for the bot being killed after the request was committed and claimed, before
anything reached Telegram.
"""

from __future__ import annotations

import asyncio
import os
import sys

from telegram import Bot

from app.config import load_settings
from app.runtime import build_stores
from bot.handover.delivery import DeliveryWorker
from bot.telegram.channel import TelegramChannel


async def main(mode: str) -> None:
    settings = load_settings()
    stores = build_stores(settings)
    if mode == "die":
        claim = stores.handovers.due

        def claim_then_die(*args: object, **kwargs: object) -> object:
            claim(*args, **kwargs)
            os._exit(9)

        stores.handovers.due = claim_then_die  # type: ignore[method-assign]
    async with Bot(settings.telegram_token, base_url=settings.telegram_base_url) as bot:
        channel = TelegramChannel(bot)

        async def nobody(item: object, screen: object) -> bool:
            return False  # this test delivers to the group only

        worker = DeliveryWorker(
            stores.handovers,
            stores.directory,
            channel.send_group,
            nobody,
            channel.replace_in_group,
            "fr",
            settings.inbox_url,
            asyncio.Event(),
        )
        await worker.run_once()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
