"""Serve the association inbox (`python -m app inbox serve`): its own process, on loopback by
default, sharing the database and the field key with the bot. No access log: addresses of
setup links carry a one-time token."""

from __future__ import annotations

import uvicorn

from app.config import Settings
from app.logging_setup import configure_server_logging
from app.readiness import database_answers
from app.runtime import build_stores
from core.keyed_hash import KeyedHasher
from inbox.app import create_app
from inbox.services import InboxServices
from monitoring.http import starlette_routes
from storage.database import make_engine
from web.serving import quiet_config


def inbox_services(settings: Settings) -> InboxServices:
    """The inbox's stores, from the settings."""
    hasher = KeyedHasher(settings.pseudonym_key)
    stores = build_stores(settings, hasher=hasher)
    return InboxServices.from_stores(
        stores, settings.data_key, hasher, settings.association_language, settings.inbox_secure
    )


def serve_inbox(settings: Settings) -> None:
    """Serve the inbox until stopped (blocking)."""
    configure_server_logging()
    services = inbox_services(settings)
    checks = {"database": database_answers(make_engine(settings.database_url))}
    app = create_app(services, settings.inbox_secret, starlette_routes(settings.monitor_token, checks))
    config = quiet_config(
        app, settings.inbox_listen, settings.inbox_port, proxy_headers=bool(settings.inbox_public_url)
    )
    uvicorn.Server(config).run()
