"""One keyed hash (HMAC-SHA256) for every identifier kept instead of a raw value.

Pseudonyms of people and association members, code words and enrolment codes are all digests
of ":"-joined parts under the instance's secret key; the first part names what is hashed
("telegram", "telegram-member", "enroll", or a pseudonym for a code word), so that digests of
different kinds never coincide.
"""

from __future__ import annotations

import hashlib
import hmac

MIN_KEY_LENGTH = 16
PSEUDONYM_LENGTH = 32


class KeyedHasher:
    """HMAC-SHA256 under a secret key; raw values cannot be recovered from a digest."""

    def __init__(self, key: str) -> None:
        if len(key) < MIN_KEY_LENGTH:
            raise ValueError(f"the pseudonym key must be at least {MIN_KEY_LENGTH} characters long")
        self._key = key.encode("utf-8")

    def digest(self, *parts: str | int) -> str:
        """The hex digest of the parts joined by ':'."""
        message = ":".join(str(part) for part in parts).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def pseudonym(self, channel: str, user_id: str | int) -> str:
        """A stable pseudonym for one person (or member) on one channel."""
        return self.digest(channel, user_id)[:PSEUDONYM_LENGTH]

    @staticmethod
    def same(first: str, second: str) -> bool:
        """Compare two digests in constant time."""
        return hmac.compare_digest(first, second)
