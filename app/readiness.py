"""What each process checks before it says it is ready (monitoring/http.py serves the answer).

A bot or a web chat is ready when it can take messages: its database answers. The engine is not
one of its checks (a change of direction, issue 17): without the engine a bot still answers danger
words with the emergency numbers and anything else with the static screen, so a balancer must
keep sending it messages; when both Rasa servers were slow, both bots left the balancer and
nobody got any answer. Each Rasa server reports its own readiness, and the bots count engine
failures in their metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.engine import Engine

Check = Callable[[], Awaitable[bool]]


def database_answers(engine: Engine) -> Check:
    """Our database runs a trivial query."""

    def query() -> bool:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1")).scalar() == 1

    async def check() -> bool:
        return await asyncio.to_thread(query)

    return check
