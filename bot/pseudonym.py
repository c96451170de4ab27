"""Keyed pseudonyms: the only way a person is identified in storage, logs and the engine."""

from __future__ import annotations

import hashlib
import hmac


class Pseudonymiser:
    """HMAC-SHA256 of channel and user id under a secret key."""

    def __init__(self, key: str) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key must be at least 16 characters long")
        self._key = key.encode("utf-8")

    def of(self, channel: str, user_id: str | int) -> str:
        """A stable pseudonym for one person on one channel; raw ids cannot be recovered."""
        message = f"{channel}:{user_id}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
