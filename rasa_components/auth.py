"""Shared-secret headers between the bot, the Rasa server and the action server (audit M1, M8).

The secret travels only in a header, is compared in constant time, and a health check proves
that the server holds the secret by answering a random challenge with an HMAC of it. This
module imports nothing heavy: the bot, the engine and the action server all use it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ENGINE_SECRET_HEADER = "X-Engine-Secret"  # bot -> Rasa server (RASA_TOKEN)
ACTIONS_SECRET_HEADER = "X-Actions-Secret"  # Rasa server -> action server (ACTIONS_SECRET)
INBOX_SECRET_HEADER = "X-Inbox-Secret"  # supervisor -> inbox health check (INBOX_SECRET)
WEBCHAT_SECRET_HEADER = "X-Webchat-Secret"  # supervisor -> web chat health check (WEBCHAT_SECRET)
CHALLENGE_HEADER = "X-Health-Challenge"
MIN_SECRET_LENGTH = 32
UNAUTHORISED, FORBIDDEN = 401, 403


def refusal(given: str | None, expected: str) -> int | None:
    """None when `given` is the secret; else 401 (missing) or 403 (wrong), compared in constant time."""
    if not given:
        return UNAUTHORISED
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return FORBIDDEN
    return None


def new_challenge() -> str:
    """A random challenge for a health check."""
    return secrets.token_hex(16)


def proof(secret: str, challenge: str) -> str:
    """What a server holding `secret` answers to `challenge`."""
    return hmac.new(
        secret.encode("utf-8"), b"health:" + challenge.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def proves(secret: str, challenge: str, answered: object) -> bool:
    """True when `answered` is the proof of `secret` for `challenge`."""
    return isinstance(answered, str) and hmac.compare_digest(answered, proof(secret, challenge))


def checked_secret(value: object, name: str) -> str:
    """The secret if long enough to be one; otherwise a ValueError naming the setting."""
    if not isinstance(value, str) or len(value.strip()) < MIN_SECRET_LENGTH:
        raise ValueError(f"{name} must be a secret of at least {MIN_SECRET_LENGTH} characters")
    return value.strip()
