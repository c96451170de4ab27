"""What every web chat response carries: the common protective headers, a Content-Security-Policy
that lets only our own script, style sheet and API be used, and never a cookie."""

from __future__ import annotations

import secrets

from web.protection import headers_with

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = headers_with(CONTENT_SECURITY_POLICY)


def new_token() -> str:
    """A conversation's random token (256 bits)."""
    return secrets.token_urlsafe(32)
