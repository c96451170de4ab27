"""The field cipher: round trip, randomised tokens, key derivation and refused secrets."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.fernet import Fernet, InvalidToken

from storage.crypto import FieldCipher

SECRET = "a-field-secret-of-some-length"


def test_round_trip_hides_the_text():
    cipher = FieldCipher(SECRET)
    token = cipher.encrypt("-1001234567890 é")
    assert "1234567890" not in token
    assert cipher.decrypt(token) == "-1001234567890 é"


def test_tokens_are_randomised():
    cipher = FieldCipher(SECRET)
    assert cipher.encrypt("42") != cipher.encrypt("42")


def test_key_is_the_base64_of_the_secret_sha256():
    key = base64.urlsafe_b64encode(hashlib.sha256(SECRET.encode()).digest())
    assert FieldCipher(SECRET).decrypt(Fernet(key).encrypt(b"42").decode()) == "42"


def test_another_secret_cannot_decrypt():
    token = FieldCipher(SECRET).encrypt("42")
    with pytest.raises(InvalidToken):
        FieldCipher("another-secret-of-some-length").decrypt(token)


def test_short_secrets_are_refused():
    with pytest.raises(ValueError):
        FieldCipher("x" * 15)
    FieldCipher("x" * 16)
