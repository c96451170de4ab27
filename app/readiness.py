"""What each process checks before it says it is ready (monitoring/http.py serves the answer)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.config import Settings
from rasa_components import auth

Check = Callable[[], Awaitable[bool]]


def database_answers(engine: Engine) -> Check:
    """Our database runs a trivial query."""

    def query() -> bool:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1")).scalar() == 1

    async def check() -> bool:
        return await asyncio.to_thread(query)

    return check


def engine_answers(settings: Settings) -> Check:
    """The Rasa server answers its health check with a model loaded."""

    async def check() -> bool:
        async with httpx.AsyncClient(timeout=2.0) as client:
            answer = await client.get(
                f"{settings.rasa_url}/webhooks/bot/health",
                headers={auth.ENGINE_SECRET_HEADER: settings.rasa_token},
            )
        return answer.status_code == 200 and bool(answer.json().get("model_loaded"))

    return check
