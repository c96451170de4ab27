"""The live directory of partner associations and the Telegram groups they enrolled.

An association can receive requests once someone of it can log in to the inbox; a Telegram group
only receives notices, and only after a coordinator has confirmed it in the inbox.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.clock import Clock, utc_now
from core.directory import Association, association_from_dict, association_to_dict
from core.keyed_hash import KeyedHasher
from storage.models import AssociationRow, AuditRow, EnrollmentCodeRow, InboxAccountRow

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 10


class DirectoryError(LookupError):
    """An association id is unknown, or an enrolment code is not valid."""


class Directory:
    """Associations (public data) with their active flag and enrolled group."""

    def __init__(self, engine: Engine, hasher: KeyedHasher, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._hasher = hasher
        self._now = clock

    def import_seed(self, associations: Iterable[Association]) -> int:
        """Add the associations not yet known; entries changed by an admin are left alone."""
        added = 0
        with Session(self._engine, future=True) as session, session.begin():
            for association in associations:
                if session.get(AssociationRow, association.id) is None:
                    session.add(_row(association, self._now()))
                    added += 1
        return added

    def save(self, association: Association) -> None:
        """Add or replace one association (admin command)."""
        with Session(self._engine, future=True) as session, session.begin():
            row = session.get(AssociationRow, association.id)
            if row is None:
                session.add(_row(association, self._now()))
            else:
                row.data = json.dumps(association_to_dict(association), ensure_ascii=False)
                row.active = association.active
                row.updated_at = self._now()

    def set_active(self, association_id: str, active: bool) -> None:
        """Enable or disable an association; a disabled one gets no new request."""
        with Session(self._engine, future=True) as session, session.begin():
            row = self._row(session, association_id)
            row.active = active
            row.updated_at = self._now()

    def get(self, association_id: str) -> Association | None:
        """One association, or None."""
        with Session(self._engine, future=True) as session:
            row = session.get(AssociationRow, association_id)
            return _association(row) if row else None

    def all(self) -> list[Association]:
        """Every association, active or not, by id."""
        with Session(self._engine, future=True) as session:
            rows = session.scalars(select(AssociationRow).order_by(AssociationRow.id))
            return [_association(row) for row in rows]

    def reachable(self) -> list[Association]:
        """Active associations with someone able to log in to the inbox: the only ones that can
        receive a request."""
        ready = exists().where(
            InboxAccountRow.association_id == AssociationRow.id,
            InboxAccountRow.password_hash.is_not(None),
            InboxAccountRow.locked.is_(False),
        )
        query = select(AssociationRow).where(AssociationRow.active.is_(True), ready)
        with Session(self._engine, future=True) as session:
            return [_association(row) for row in session.scalars(query.order_by(AssociationRow.id))]

    def group_of(self, association_id: str) -> int | None:
        """The association's notice group, once a coordinator has confirmed it."""
        with Session(self._engine, future=True) as session:
            row = session.get(AssociationRow, association_id)
            return row.group_chat_id if row and row.group_confirmed else None

    def group_waiting(self, association_id: str) -> bool:
        """True when a group was enrolled with a code and waits for a coordinator's confirmation."""
        with Session(self._engine, future=True) as session:
            row = session.get(AssociationRow, association_id)
            return bool(row and row.group_chat_id is not None and not row.group_confirmed)

    def confirm_group(self, association_id: str, confirm: bool, actor: str) -> bool:
        """A coordinator confirms the waiting group, or refuses it (the group is forgotten)."""
        now = self._now()
        with Session(self._engine, future=True) as session, session.begin():
            row = self._row(session, association_id)
            if row.group_chat_id is None or row.group_confirmed:
                return False
            if confirm:
                row.group_confirmed = True
            else:
                row.group_chat_id, row.enrolled_at = None, None
            row.updated_at = now
            action = "group_confirmed" if confirm else "group_refused"
            session.add(AuditRow(at=now, action=action, association_id=association_id, actor=actor))
            return True

    def association_of_group(self, chat_id: int) -> str | None:
        """The association that enrolled this group, if any."""
        query = select(AssociationRow.id).where(AssociationRow.group_chat_id == chat_id)
        with Session(self._engine, future=True) as session:
            return session.scalar(query)

    def new_enrollment_code(self, association_id: str, valid_for: timedelta = timedelta(hours=48)) -> str:
        """A one-time code to post in the association's group as `/enroll CODE`."""
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        with Session(self._engine, future=True) as session, session.begin():
            self._row(session, association_id)
            session.add(
                EnrollmentCodeRow(
                    code_hash=self._hash(code),
                    association_id=association_id,
                    expires_at=self._now() + valid_for,
                )
            )
        return code

    def enroll(self, code: str, chat_id: int, actor: str) -> str:
        """Bind the group to the code's association; returns its id. A code works once."""
        now = self._now()
        code_hash = self._hash(code.strip().upper())
        with Session(self._engine, future=True) as session, session.begin():
            claimed = session.scalar(
                select(EnrollmentCodeRow.association_id).where(EnrollmentCodeRow.code_hash == code_hash)
            )
            used = session.execute(
                update(EnrollmentCodeRow)
                .where(
                    EnrollmentCodeRow.code_hash == code_hash,
                    EnrollmentCodeRow.used_at.is_(None),
                    EnrollmentCodeRow.expires_at > now,
                )
                .values(used_at=now)
            ).rowcount
            if claimed is None or used != 1:  # the conditional update makes a second use fail
                raise DirectoryError("unknown, used or expired code")
            session.execute(
                update(AssociationRow)
                .where(AssociationRow.group_chat_id == chat_id)
                .values(group_chat_id=None, group_confirmed=False)
            )
            row = self._row(session, claimed)
            row.group_chat_id, row.enrolled_at, row.updated_at = chat_id, now, now
            row.group_confirmed = False  # a coordinator confirms it in the inbox
            session.add(AuditRow(at=now, action="enrolled", association_id=claimed, actor=actor))
        return claimed

    def _hash(self, code: str) -> str:
        return self._hasher.digest("enroll", code)

    @staticmethod
    def _row(session: Session, association_id: str) -> AssociationRow:
        row = session.get(AssociationRow, association_id)
        if row is None:
            raise DirectoryError(f"no association with id {association_id!r}")
        return row


def _row(association: Association, now: datetime) -> AssociationRow:
    return AssociationRow(
        id=association.id,
        data=json.dumps(association_to_dict(association), ensure_ascii=False),
        active=association.active,
        updated_at=now,
    )


def _association(row: AssociationRow) -> Association:
    data = json.loads(row.data)
    data["active"] = bool(row.active)
    return association_from_dict(data)
