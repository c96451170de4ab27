"""Start and stop a python-telegram-bot Application in polling mode, for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application


@asynccontextmanager
async def polling(application: Application) -> AsyncIterator[Application]:
    """Initialise, start and poll like `run_polling` (post_init and post_shutdown included)."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_shutdown:
            await application.post_shutdown(application)
        await application.shutdown()
