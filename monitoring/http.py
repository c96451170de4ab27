"""/health/live, /health/ready and /metrics for every process, behind MONITOR_TOKEN.

- live: the process answers (its event loop runs);
- ready: what it depends on answers (database, engine, model...), each check named in the body;
- metrics: the Prometheus text format (monitoring/metrics.py holds every metric).

Each needs `Authorization: Bearer <MONITOR_TOKEN>`: our processes answer nothing to strangers
(audit M1). Starlette routes for the web pages and the bot's monitor, a Sanic middleware for
Rasa and the action server.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from monitoring.metrics import HTTP_REQUESTS, HTTP_SECONDS
from rasa_components import auth

logger = logging.getLogger(__name__)

PATHS = ("/health/live", "/health/ready", "/metrics")
CHECK_TIMEOUT = 3.0
# Named checks of readiness: each answers True when what it checks works.
Checks = Mapping[str, Callable[[], Awaitable[bool]]]


def bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header."""
    if header and header.startswith("Bearer "):
        return header[len("Bearer ") :]
    return None


async def answer(path: str, authorization: str | None, token: str, checks: Checks) -> tuple[int, str, str]:
    """Status, content type and body of a monitoring path, whatever the web framework."""
    refused = auth.refusal(bearer(authorization), token)
    if refused is not None:
        return refused, "text/plain", ""
    if path == "/metrics":
        return 200, CONTENT_TYPE_LATEST, generate_latest().decode("utf-8")
    if path == "/health/live":
        return 200, "application/json", '{"status": "live"}'
    results = {name: await _check(name, check) for name, check in checks.items()}
    ready = all(results.values())
    body = {"status": "ready" if ready else "not ready", "checks": results}
    return (200 if ready else 503), "application/json", json.dumps(body)


async def _check(name: str, check: Callable[[], Awaitable[bool]]) -> bool:
    try:
        return bool(await asyncio.wait_for(check(), CHECK_TIMEOUT))
    except Exception as error:  # noqa: BLE001 - a failing check means not ready, never a crash
        logger.warning("readiness check %s failed: %s", name, type(error).__name__)
        return False


def starlette_routes(token: str, checks: Checks) -> list[Route]:
    """The three monitoring routes for a Starlette app."""

    async def endpoint(request: Request) -> Response:
        status, content_type, body = await answer(
            request.url.path, request.headers.get("authorization"), token, checks
        )
        if not body:
            return PlainTextResponse("", status_code=status)
        return Response(body, status_code=status, media_type=content_type)

    return [Route(path, endpoint, methods=["GET"]) for path in PATHS]


class RequestMetrics:
    """ASGI middleware counting requests by route template (never the URL: it may hold a token)."""

    def __init__(self, app: Any, name: str) -> None:
        self._app = app
        self._name = name

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.monotonic()
        status = {"code": 500}

        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            HTTP_REQUESTS.labels(self._name, route, str(status["code"])).inc()
            HTTP_SECONDS.labels(self._name).observe(time.monotonic() - started)


def sanic_middleware(token: str, checks: Checks) -> Callable[[Any], Awaitable[Any]]:
    """A Sanic request middleware answering the monitoring paths (before any other guard)."""
    from sanic import response

    async def monitor(request: Any) -> Any:
        if request.path not in PATHS or request.method != "GET":
            return None
        status, content_type, body = await answer(
            request.path, request.headers.get("authorization"), token, checks
        )
        return response.text(body, status=status, content_type=content_type)

    return monitor
