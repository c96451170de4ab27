"""Run the Rasa server: loopback only, HTTP API behind a token, REST channel for the bot."""

from __future__ import annotations

import logging
import os

from app.config import REPO_ROOT, Settings


def serve_engine(settings: Settings) -> None:
    """Serve the trained model until stopped (blocking)."""
    import rasa.api  # heavy: imported only in the engine process
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from app import engine_tuning

    engine_tuning.apply()
    os.environ["ACTION_ENDPOINT_URL"] = settings.actions_url
    os.environ["CONVERSATION_TTL_SECONDS"] = str(int(settings.conversation_ttl_seconds))
    # Rasa logs user messages at DEBUG level: keep it at WARNING, structured logs included.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    for name in ("sanic.access", "sanic.root", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.WARNING)
    rasa.api.run(
        model=str(settings.model_path),
        endpoints=str(REPO_ROOT / "endpoints.yml"),
        credentials=str(REPO_ROOT / "credentials.yml"),
        interface="127.0.0.1",
        port=settings.rasa_port,
        enable_api=True,
        auth_token=settings.rasa_token,
    )


def serve_actions(settings: Settings) -> None:
    """Serve the custom actions on loopback until stopped (blocking)."""
    os.environ["SANIC_HOST"] = "127.0.0.1"
    from rasa_sdk.endpoint import run

    logging.getLogger("rasa_sdk").setLevel(logging.WARNING)
    warm_up_actions()
    run(action_package_name="actions", port=settings.actions_port, cors_origins=None)


def warm_up_actions() -> None:
    """Load what the first person would otherwise wait for: place tables, lexicons, the database."""
    from actions import stores
    from core import places
    from core.exploitation import lexicon

    places.warm_up()
    lexicon()
    stores.directory().reachable()
