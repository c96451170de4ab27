"""The Telegram bot process's monitor: /health/live, /health/ready and /metrics on MONITOR_PORT
(the web pages and the engine answer the same paths on their own ports)."""

from __future__ import annotations

import asyncio
import threading

import uvicorn
from starlette.applications import Starlette

from app.config import Settings
from app.readiness import database_answers
from monitoring.http import starlette_routes
from storage.stores import Stores
from web.serving import quiet_config


def start_monitor(settings: Settings, stores: Stores) -> threading.Thread:
    """Serve the monitor in a thread of its own, so that a busy bot still answers it."""
    checks = {"database": database_answers(stores.db)}  # not the engine: app/readiness.py
    app = Starlette(routes=starlette_routes(settings.monitor_token, checks))
    server = uvicorn.Server(quiet_config(app, settings.monitor_listen, settings.monitor_port))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), name="monitor", daemon=True)
    thread.start()
    return thread
