"""Headers every response of our web pages carries: nothing cached, nothing framed, no referrer,
and each page's own Content-Security-Policy."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMMON_HEADERS = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def headers_with(policy: str) -> dict[str, str]:
    """The common headers and a Content-Security-Policy."""
    return {"content-security-policy": policy, **COMMON_HEADERS}


class ProtectiveHeaders:
    """ASGI middleware: the same headers on every response, errors included; with `no_cookies`,
    no cookie ever leaves (the web chat keeps nothing in the browser)."""

    def __init__(self, app: ASGIApp, headers: dict[str, str], no_cookies: bool = False) -> None:
        self.app = app
        self.headers = [(name.encode(), value.encode()) for name, value in headers.items()]
        self.no_cookies = no_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if not (self.no_cookies and name.lower() == b"set-cookie")
                ]
                present = {name.lower() for name, _ in kept}
                message["headers"] = [*kept, *((k, v) for k, v in self.headers if k not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)
