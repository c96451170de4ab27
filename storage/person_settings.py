"""Each person's discretion settings: the quick-exit code word (a keyed hash only) and auto-erase.

They are settings, not conversation content: a quick exit keeps them. Methods take the session
of the caller's transaction, so that a turn writes everything it changes at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.clock import Clock, utc_now
from core.keyed_hash import KeyedHasher
from storage.models import PersonSettingsRow


@dataclass(frozen=True)
class PersonSettings:
    """The settings of one person; a person who never chose anything has neither."""

    code_word_hash: str | None = None
    auto_erase_seconds: int | None = None


class PersonSettingsStore:
    """Reads and writes person settings inside a caller's session."""

    def __init__(self, hasher: KeyedHasher, clock: Clock = utc_now) -> None:
        self._hasher = hasher
        self._now = clock

    def code_word_digest(self, pseudonym: str, word: str) -> str:
        """The keyed hash a (normalised) code word is stored and compared as."""
        return self._hasher.digest(pseudonym, word)

    def get(self, session: Session, pseudonym: str) -> PersonSettings:
        """The person's settings (defaults when none were saved)."""
        row = session.get(PersonSettingsRow, pseudonym)
        if row is None:
            return PersonSettings()
        return PersonSettings(row.code_word_hash, row.auto_erase_seconds)

    def set_code_word(self, session: Session, pseudonym: str, word: str | None) -> None:
        """Set or replace the (normalised) code word; None removes it."""
        digest = self.code_word_digest(pseudonym, word) if word else None
        self._row(session, pseudonym).code_word_hash = digest

    def set_auto_erase(self, session: Session, pseudonym: str, seconds: int | None) -> None:
        """Set the auto-erase delay in seconds; None turns it off."""
        self._row(session, pseudonym).auto_erase_seconds = seconds or None

    def _row(self, session: Session, pseudonym: str) -> PersonSettingsRow:
        row = session.get(PersonSettingsRow, pseudonym)
        if row is None:
            row = PersonSettingsRow(pseudonym=pseudonym)
            session.add(row)
        row.updated_at = self._now()
        return row
