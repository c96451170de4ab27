"""What every inbox response carries, and the checks before a form is acted on.

Headers: nothing cached, nothing framed, no referrer, a Content-Security-Policy that allows our
own style sheet and nothing else (no script at all). Cookies: HttpOnly, SameSite=Strict, Secure
behind https. Forms: a logged-in form carries its session's form token; the login and setup
forms carry a token matching a short-lived cookie (double submit). Logins are also limited per
address, on top of the per-account lock-out of the accounts store.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
SESSION_COOKIE, FORM_COOKIE, PRE_COOKIE = "inbox_session", "inbox_form", "inbox_pre"
COOKIE_MAX_AGE = 12 * 3600


class SecurityHeaders:
    """ASGI middleware: the same protective headers on every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def set_cookie(response: Response, name: str, value: str, secure: bool) -> None:
    """A cookie no script can read and no other site can send."""
    response.set_cookie(
        name, value, max_age=COOKIE_MAX_AGE, httponly=True, samesite="strict", secure=secure, path="/"
    )


def clear_cookies(response: Response, secure: bool) -> None:
    """Forget the session and form cookies in this browser."""
    for name in (SESSION_COOKIE, FORM_COOKIE):
        response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=secure)


def pre_token(request: Request) -> str:
    """The token of a form shown before login: the cookie's, or a new one (set it on the response)."""
    return request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)


def pre_token_ok(request: Request, submitted: str | None) -> bool:
    """A form shown before login came back with the token of this browser's cookie."""
    expected = request.cookies.get(PRE_COOKIE)
    return bool(expected and submitted and hmac.compare_digest(expected, submitted))


class LoginThrottle:
    """At most `limit` login attempts per address in `window` seconds (in this process's memory)."""

    def __init__(
        self, limit: int = 10, window: float = 600, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._attempts: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, address: str) -> bool:
        """Count an attempt; False when the address has tried too often lately."""
        now = self._clock()
        attempts = self._attempts[address]
        while attempts and now - attempts[0] > self._window:
            attempts.popleft()
        if len(attempts) >= self._limit:
            return False
        attempts.append(now)
        return True
