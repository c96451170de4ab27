"""Quick-exit code words: a keyed hash per pseudonym, never the word itself."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.keyed_hash import KeyedHasher
from storage.models import ExitWordRow


class ExitWords:
    """Set, check and remove a person's code word."""

    def __init__(self, engine: Engine, hasher: KeyedHasher) -> None:
        self._engine = engine
        self._hasher = hasher

    def _digest(self, pseudonym: str, word: str) -> str:
        return self._hasher.digest(pseudonym, word)

    def set(self, pseudonym: str, word: str) -> None:
        """Remember the (normalised) word as a hash, replacing any earlier one."""
        with Session(self._engine, future=True) as session, session.begin():
            row = session.get(ExitWordRow, pseudonym)
            if row is None:
                session.add(ExitWordRow(pseudonym=pseudonym, word_hash=self._digest(pseudonym, word)))
            else:
                row.word_hash = self._digest(pseudonym, word)

    def clear(self, pseudonym: str) -> None:
        """Remove the person's code word."""
        with Session(self._engine, future=True) as session, session.begin():
            session.execute(delete(ExitWordRow).where(ExitWordRow.pseudonym == pseudonym))

    def matches(self, pseudonym: str, word: str) -> bool:
        """True when the (normalised) text is the person's code word."""
        with Session(self._engine, future=True) as session:
            stored = session.scalars(
                select(ExitWordRow.word_hash).where(ExitWordRow.pseudonym == pseudonym)
            ).first()
        return stored is not None and KeyedHasher.same(stored, self._digest(pseudonym, word))
