import hashlib
import hmac

import pytest

from core.keyed_hash import KeyedHasher


def test_pseudonym_is_stable_and_hides_the_raw_id():
    hasher = KeyedHasher("k" * 32)
    first = hasher.pseudonym("telegram", 123456789)
    assert first == hasher.pseudonym("telegram", "123456789")
    assert "123456789" not in first
    assert len(first) == 32


def test_pseudonym_depends_on_key_and_channel():
    assert KeyedHasher("a" * 32).pseudonym("telegram", 1) != KeyedHasher("b" * 32).pseudonym("telegram", 1)
    assert KeyedHasher("a" * 32).pseudonym("telegram", 1) != KeyedHasher("a" * 32).pseudonym("console", 1)


def test_digests_keep_the_formats_already_stored():
    """Pseudonyms, code words and enrolment codes stored before stay valid."""
    key = "k" * 32

    def old(message: str) -> str:
        return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()

    hasher = KeyedHasher(key)
    assert hasher.pseudonym("telegram", 42) == old("telegram:42")[:32]
    assert hasher.digest("enroll", "ABC") == old("enroll:ABC")
    assert hasher.digest("p" * 32, "tulipe") == old(f"{'p' * 32}:tulipe")


def test_short_keys_are_refused():
    with pytest.raises(ValueError):
        KeyedHasher("short")
