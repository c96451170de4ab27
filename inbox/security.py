"""What every inbox response carries, and the checks before a form is acted on.

Headers: nothing cached, nothing framed, no referrer, a Content-Security-Policy that allows our
own style sheet and nothing else (no script at all). Cookies: HttpOnly, SameSite=Strict, Secure
behind https. Forms: a logged-in form carries its session's form token; the login and setup
forms carry a token matching a short-lived cookie (double submit). Logins are also limited per
address (`LOGINS_PER_ADDRESS`), on top of the per-account lock-out of the accounts store.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from web.protection import headers_with

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = headers_with(CONTENT_SECURITY_POLICY)
SESSION_COOKIE, FORM_COOKIE, PRE_COOKIE = "inbox_session", "inbox_form", "inbox_pre"
COOKIE_MAX_AGE = 12 * 3600
LOGINS_PER_ADDRESS, LOGIN_WINDOW_SECONDS = 10, 600


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
