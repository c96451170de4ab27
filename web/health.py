"""/health for the process supervisor: it must carry the process's secret, and gets a proof of it
back (app/processes.py checks the proof before using a server found on its port)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from rasa_components import auth


def health_check(secret: str, header: str) -> Callable[[Request], Awaitable[Response]]:
    """The handler answering a health check that carries `secret` in `header`."""

    async def health(request: Request) -> Response:
        refused = auth.refusal(request.headers.get(header), secret)
        if refused is not None:
            return PlainTextResponse("", status_code=refused)
        challenge = request.headers.get(auth.CHALLENGE_HEADER, "")
        return JSONResponse({"status": "ok", "proof": auth.proof(secret, challenge) if challenge else None})

    return health
