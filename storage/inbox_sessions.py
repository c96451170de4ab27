"""Sessions of the association inbox and its access log (issue 13).

A session is a random token in a cookie and a random form token (CSRF) in every form; the
database keeps only their keyed hashes. A session ends after 30 idle minutes, after 12 hours in
any case, at logout, or for every device at once ("log out everywhere"). The access log says who
(an account id) did what (a fixed action name), when, and on which request (its reference): no
name, no text, nothing the person wrote.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.clock import Clock, utc_now
from core.keyed_hash import KeyedHasher
from storage.models import InboxAccessRow, InboxAccountRow, InboxSessionRow

IDLE_TIMEOUT = timedelta(minutes=30)
MAX_AGE = timedelta(hours=12)
ACTIONS = frozenset(
    {"login", "logout", "logout_everywhere", "list", "view", "accept", "decline", "in_contact", "reply",
     "note", "next_contact", "close", "counts", "export", "access_log", "members", "add_member",
     "new_link", "unlock", "group_confirmed", "group_refused"}
)  # fmt: skip


@dataclass(frozen=True)
class Opened:
    """A new session's tokens, to set in the cookie and the forms."""

    token: str
    csrf: str


@dataclass(frozen=True)
class Who:
    """The account behind a live session."""

    account_id: int
    association_id: str
    role: str


@dataclass(frozen=True)
class Access:
    """One line of the access log."""

    at: datetime
    account_id: int
    action: str
    reference: str | None


class InboxSessions:
    """Open, check and end inbox sessions; write and read the access log."""

    def __init__(self, engine: Engine, hasher: KeyedHasher, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._hasher = hasher
        self._now = clock

    def open(self, account_id: int) -> Opened:
        """A new session for an account that has just logged in."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self._now()
        with Session(self._engine) as session, session.begin():
            session.add(
                InboxSessionRow(
                    token_hash=self._digest("session", token),
                    account_id=account_id,
                    csrf_hash=self._digest("csrf", csrf),
                    created_at=now,
                    last_seen_at=now,
                )
            )
        return Opened(token, csrf)

    def check(self, token: str) -> Who | None:
        """The account of a live session (its idle time starts again), or None; an expired
        session is removed."""
        now = self._now()
        with Session(self._engine) as session, session.begin():
            row = session.get(InboxSessionRow, self._digest("session", token))
            if row is None:
                return None
            if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > MAX_AGE:
                session.delete(row)
                return None
            account = session.get(InboxAccountRow, row.account_id)
            if account is None or account.locked:
                session.delete(row)
                return None
            row.last_seen_at = now
            return Who(account.id, account.association_id, account.role)

    def csrf_ok(self, token: str, csrf: str | None) -> bool:
        """True when a form carries the form token of its session."""
        if not csrf:
            return False
        with Session(self._engine) as session:
            row = session.get(InboxSessionRow, self._digest("session", token))
            return row is not None and hmac.compare_digest(row.csrf_hash, self._digest("csrf", csrf))

    def close(self, token: str) -> None:
        """Log out this session."""
        with Session(self._engine) as session, session.begin():
            mine = InboxSessionRow.token_hash == self._digest("session", token)
            session.execute(delete(InboxSessionRow).where(mine))

    def close_all(self, account_id: int) -> int:
        """Log out everywhere: every session of the account ends. How many there were."""
        with Session(self._engine) as session, session.begin():
            ended = session.execute(delete(InboxSessionRow).where(InboxSessionRow.account_id == account_id))
            return int(ended.rowcount or 0)

    # --- the access log --------------------------------------------------------------------

    def record(self, who: Who, action: str, reference: str | None = None) -> None:
        """Write one line of the access log; an action outside the fixed list is a programming error."""
        if action not in ACTIONS:
            raise ValueError(f"unknown inbox action {action!r}")
        with Session(self._engine) as session, session.begin():
            session.add(
                InboxAccessRow(
                    at=self._now(),
                    association_id=who.association_id,
                    account_id=who.account_id,
                    action=action,
                    reference=reference,
                )
            )

    def access_log(self, association_id: str, limit: int = 200) -> list[Access]:
        """The newest lines of an association's log (a coordinator reads it); never another's."""
        query = (
            select(InboxAccessRow)
            .where(InboxAccessRow.association_id == association_id)
            .order_by(InboxAccessRow.id.desc())
            .limit(limit)
        )
        with Session(self._engine) as session:
            rows = session.scalars(query)
            return [Access(row.at, row.account_id, row.action, row.reference) for row in rows]

    def _digest(self, kind: str, value: str) -> str:
        return self._hasher.digest(f"inbox-{kind}", value)
