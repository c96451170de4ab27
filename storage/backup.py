"""Encrypted backups of the database, and their restore into an empty one.

A backup is every table of our schema (conversations in progress excepted: they are transient,
and a backup must not keep what a quick exit erased), written as JSON lines, compressed, and
encrypted with the backup key (Fernet: AES-128-CBC with HMAC-SHA256). Two keys are needed to
read personal data from a backup, and neither is inside it:
- the backup key opens the file;
- DATA_KEY opens the personal fields, which stay encrypted in the rows as they are in the database.

The format does not depend on the database: a backup of SQLite restores into PostgreSQL and back.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from alembic.runtime.migration import MigrationContext
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Integer, func, insert, select, text
from sqlalchemy.engine import Engine

from storage.database import make_engine, migrate
from storage.models import Base

FORMAT = "assistant-backup/1"
LEFT_OUT = frozenset({"conversation_state"})  # transient; erased by quick exits


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says what to do."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds: the schema revision and the rows per table."""

    revision: str
    rows: dict[str, int]


def backup_key(secret: str) -> Fernet:
    """The Fernet key of backups, from the BACKUP_KEY secret (any string of 16+ characters)."""
    if len(secret) < 16:
        raise BackupError("BACKUP_KEY must be at least 16 characters long")
    digest = hashlib.sha256(b"assistant-backup:" + secret.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def write_backup(engine: Engine, key: Fernet) -> tuple[bytes, BackupSummary]:
    """The encrypted backup of every table, read in one transaction (a consistent snapshot)."""
    lines: list[str] = []
    rows: dict[str, int] = {}
    with engine.connect() as connection, connection.begin():
        revision = MigrationContext.configure(connection).get_current_revision() or ""
        lines.append(json.dumps({"format": FORMAT, "revision": revision}))
        for table in tables():
            count = 0
            for row in connection.execute(select(table)).mappings():
                lines.append(json.dumps({"table": table.name, "row": {k: _out(v) for k, v in row.items()}}))
                count += 1
            rows[table.name] = count
    packed = gzip.compress("\n".join(lines).encode("utf-8"))
    return key.encrypt(packed), BackupSummary(revision, rows)


def restore_backup(
    blob: bytes, key: Fernet, url: str, connect_args: dict[str, Any] | None = None
) -> BackupSummary:
    """Restore into the (empty) database at `url`, brought to the backup's schema first."""
    try:
        lines = gzip.decompress(key.decrypt(blob)).decode("utf-8").splitlines()
    except InvalidToken:
        raise BackupError("this backup does not open with this BACKUP_KEY (or it was altered)") from None
    header = json.loads(lines[0])
    if header.get("format") != FORMAT:
        raise BackupError(f"not a backup of this assistant (format {header.get('format')!r})")
    migrate(url, connect_args)
    engine = make_engine(url, connect_args)
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current != header["revision"]:
                raise BackupError(
                    f"the backup is of schema {header['revision']}, this code's is {current}: restore it "
                    "with the version of the assistant that wrote it, then upgrade"
                )
            busy = [t.name for t in tables() if connection.scalar(select(func.count()).select_from(t))]
            if busy:
                raise BackupError(
                    f"restore only into an empty database; this one has rows in {', '.join(busy)}"
                )
            by_name = {t.name: t for t in tables()}
            rows: dict[str, int] = {name: 0 for name in by_name}
            for line in lines[1:]:
                entry = json.loads(line)
                table = by_name[entry["table"]]
                connection.execute(insert(table).values(**{k: _in(v) for k, v in entry["row"].items()}))
                rows[table.name] += 1
            _reset_sequences(connection, engine.dialect.name)
    finally:
        engine.dispose()
    return BackupSummary(header["revision"], rows)


def tables() -> list[Any]:
    """Our tables in an order that satisfies their foreign keys."""
    return [table for table in Base.metadata.sorted_tables if table.name not in LEFT_OUT]


def _out(value: Any) -> Any:
    """A column value as JSON: dates and times tagged, so that they come back as they were."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    return value


def _in(value: Any) -> Any:
    """The column value `_out` wrote."""
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$datetime":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$bytes":
            return base64.b64decode(raw)
    return value


def _reset_sequences(connection: Any, dialect: str) -> None:
    """PostgreSQL: new rows must get ids after the restored ones."""
    if dialect != "postgresql":
        return
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0].name
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column}
        )
        if sequence:
            highest = connection.scalar(select(func.max(table.c[column])))
            connection.execute(text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": (highest or 0) + 1})
