"""Run the Rasa server and the action server: loopback only, each behind its own shared secret.

- The Rasa server runs without its HTTP API (`enable_api=False`); its only routes are the bot's
  channel (rasa_components/bot_channel.py), and a middleware refuses any request that lacks
  RASA_TOKEN in the `X-Engine-Secret` header, Rasa's own "/" included (audit M1, M8).
- The action server answers only requests carrying ACTIONS_SECRET in `X-Actions-Secret`;
  Rasa sends it from endpoints.yml. Without it, even /health gets a bare 401 or 403.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from app.config import REPO_ROOT, Settings
from app.logging_setup import configure_server_logging
from monitoring.http import sanic_middleware
from rasa_components import auth

logger = logging.getLogger(__name__)
ENGINE_LOCK_SECONDS = 10
Middleware = Callable[[Any], Awaitable[Any]]


def serve_engine(settings: Settings) -> None:
    """Serve the trained model until stopped (blocking)."""
    configure_server_logging()
    engine_environment(settings)
    app = engine_app(settings)
    app.run(host="127.0.0.1", port=settings.rasa_port, workers=1, access_log=False)


def engine_environment(settings: Settings) -> None:
    """What credentials.yml and endpoints.yml read from the environment."""
    os.environ["ACTION_ENDPOINT_URL"] = settings.actions_url
    os.environ["CONVERSATION_TTL_SECONDS"] = str(int(settings.conversation_ttl_seconds))
    os.environ["RASA_TOKEN"] = settings.rasa_token
    os.environ["ACTIONS_SECRET"] = settings.actions_secret
    # Rasa keeps a conversation's lock for 60 s by default, even when the server holding it was
    # killed: the other replica then waits that long (Redis lock store). A turn takes seconds, and
    # the bot already answers each person one turn at a time.
    os.environ["TICKET_LOCK_LIFETIME"] = str(ENGINE_LOCK_SECONDS)


def engine_app(settings: Settings) -> Any:
    """Rasa's server app with the bot channel only, no HTTP API, and the secret on every route."""
    from rasa.core import run
    from rasa.core.utils import AvailableEndpoints

    from app import engine_tuning
    from app.conversation_store import conversation_store, lock_store
    from rasa_components.action_endpoint import RetryingEndpoint

    engine_tuning.apply()
    endpoints = AvailableEndpoints.read_endpoints(str(REPO_ROOT / "endpoints.yml"))
    endpoints.tracker_store = conversation_store(settings)  # never from endpoints.yml (audit M9)
    endpoints.lock_store = lock_store(settings)
    if endpoints.action is not None:  # a broken connection to an action server is tried again
        endpoints.action = RetryingEndpoint.of(endpoints.action)
    channels = run.create_http_input_channels(None, str(REPO_ROOT / "credentials.yml"))
    app = run.configure_app(
        channels, cors=None, enable_api=False, port=settings.rasa_port, endpoints=endpoints
    )
    store = endpoints.tracker_store
    app.register_middleware(sanic_middleware(settings.monitor_token, engine_checks(app, store)), "request")
    app.register_middleware(secret_guard(settings.rasa_token, auth.ENGINE_SECRET_HEADER), "request")
    load = partial(run.load_agent_on_start, str(settings.model_path), endpoints, None)
    app.register_listener(load, "before_server_start")
    app.register_listener(run.close_resources, "after_server_stop")
    return app


def engine_checks(app: Any, store: Any) -> dict[str, Callable[[], Awaitable[bool]]]:
    """Ready: a model is loaded and the conversation store answers."""
    from monitoring.metrics import MODEL_LOADED

    async def model() -> bool:
        agent = getattr(app.ctx, "agent", None)
        loaded = bool(agent and agent.is_ready())
        MODEL_LOADED.set(1 if loaded else 0)
        return loaded

    async def conversations() -> bool:
        await store.retrieve("readiness-check")  # raises when the database or Redis does not answer
        return True

    return {"model": model, "conversation_store": conversations}


def secret_guard(secret: str, header: str) -> Middleware:
    """A Sanic request middleware answering an empty 401/403 unless `header` holds `secret`."""
    from sanic import response

    async def guard(request: Any) -> Any:
        status = auth.refusal(request.headers.get(header), secret)
        return None if status is None else response.empty(status=status)

    return guard


def serve_actions(settings: Settings) -> None:
    """Serve the custom actions on loopback until stopped (blocking)."""
    configure_server_logging()
    warm_up_actions()
    app = actions_app(settings)
    app.run(host="127.0.0.1", port=settings.actions_port, workers=1, access_log=False)


def actions_app(settings: Settings) -> Any:
    """rasa-sdk's app behind ACTIONS_SECRET, with an error answer that repeats nothing."""
    from rasa_sdk.endpoint import create_app

    app = create_app("actions", cors_origins=None)
    app.register_middleware(sanic_middleware(settings.monitor_token, action_checks(settings)), "request")
    register_action_metrics(app)
    app.register_middleware(secret_guard(settings.actions_secret, auth.ACTIONS_SECRET_HEADER), "request")
    app.register_middleware(health_proof(settings.actions_secret), "request")
    app.error_handler.add(Exception, action_failed)
    return app


def action_checks(settings: Settings) -> dict[str, Callable[[], Awaitable[bool]]]:
    """Ready: our database answers (the actions read the directory and write requests)."""
    from app.readiness import database_answers
    from storage.database import make_engine

    return {"database": database_answers(make_engine(settings.database_url))}


def register_action_metrics(app: Any) -> None:
    """Count the action server's calls and time them (status codes only)."""
    import time

    from monitoring.metrics import ACTION_CALLS, ACTION_SECONDS

    async def started(request: Any) -> None:
        request.ctx.started = time.monotonic()

    async def finished(request: Any, answer: Any) -> None:
        if request.path == "/webhook":
            ACTION_CALLS.labels(str(answer.status)).inc()
            ACTION_SECONDS.observe(time.monotonic() - getattr(request.ctx, "started", time.monotonic()))

    app.register_middleware(started, "request")
    app.register_middleware(finished, "response")


def health_proof(secret: str) -> Middleware:
    """A middleware answering an authenticated /health that carries a challenge with its proof."""
    from sanic import response

    async def prove(request: Any) -> Any:
        challenge = request.headers.get(auth.CHALLENGE_HEADER)
        if request.path != "/health" or not challenge:
            return None
        return response.json({"status": "ok", "proof": auth.proof(secret, challenge)})

    return prove


async def action_failed(request: Any, error: Exception) -> Any:
    """An action raised: log its type and frames, answer 500 without the request or the message."""
    from sanic import response

    logger.error("an action failed: %s", type(error).__name__, exc_info=error)
    return response.json({"error": type(error).__name__}, status=500)


def warm_up_actions() -> None:
    """Load what the first person would otherwise wait for: place tables, lexicons, the database."""
    from actions import stores
    from core import places
    from core.exploitation import lexicon

    places.warm_up()
    lexicon()
    stores.directory().reachable()
