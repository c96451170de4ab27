"""Encryption of single database fields with Fernet, under a key derived from a secret string."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet

MIN_SECRET_LENGTH = 16


class FieldCipher:
    """Encrypts and decrypts short text fields; a wrong key raises cryptography's InvalidToken."""

    def __init__(self, secret: str) -> None:
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(f"the field encryption secret must be at least {MIN_SECRET_LENGTH} characters")
        key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode("utf-8")).digest())
        self._fernet = Fernet(key)

    def encrypt(self, text: str) -> str:
        """Return an authenticated, randomised token for the text."""
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Return the text hidden in a token made by `encrypt` under the same secret."""
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
