"""Encrypted backups: written from SQLite or PostgreSQL, restored into a fresh database of either
kind, where the personal fields read back with DATA_KEY; useless without the backup key."""

from __future__ import annotations

import gzip
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import func, select, text

from storage.backup import BackupError, backup_key, restore_backup, write_backup
from storage.conversation_state import DatabaseState
from storage.database import make_engine
from storage.handovers import Handovers, Policy
from storage.inbox_requests import InboxRequests
from storage.inbox_sessions import Who
from storage.models import ConversationStateRow, HandoverRow
from tests.storage.conftest import empty_database
from tests.storage.test_handovers import SECRETS, draft

KEY = backup_key("backup-test-key-0123456789")


@pytest.fixture
def filled(db_engine, cipher, person):
    """A database holding a handover request with personal fields, and a conversation in progress."""
    with db_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO associations (id, data, active, updated_at) VALUES ('first', '{}', true, :t)"),
            {"t": datetime.now(timezone.utc)},
        )
    store = Handovers(db_engine, cipher, lambda row, tried: None, Policy(answer_delay=timedelta(hours=1)))
    reference = store.create(person, draft(), "key-backup").reference
    DatabaseState(db_engine, 3600).write(person, cipher.encrypt("a conversation in progress"))
    return reference


@pytest.mark.parametrize("into", ["sqlite", "postgresql"])
def test_a_backup_restores_into_a_fresh_database_and_its_personal_fields_read_back(
    request, tmp_path, db_engine, cipher, filled, into
):
    blob, written = write_backup(db_engine, KEY)
    assert written.rows["handovers"] == 1 and written.rows["outbox"] >= 1
    assert "conversation_state" not in written.rows, "conversations in progress are never backed up"
    opened = gzip.decompress(KEY.decrypt(blob)).decode("utf-8")
    for secret in SECRETS:
        assert secret.encode() not in blob and secret not in opened, "personal fields stay encrypted inside"
    fresh = tmp_path / "restored"
    fresh.mkdir()
    with empty_database(request, into, fresh) as target:
        restored = restore_backup(blob, KEY, target.url, target.connect_args)
        assert restored.rows == written.rows
        engine = make_engine(target.url, target.connect_args)
        try:
            detail = InboxRequests(engine, cipher).detail(filled, Who(1, "first", "coordinator"))
            assert detail is not None
            assert (detail.draft.alias, detail.draft.phone, detail.draft.message) == (
                SECRETS[0],
                SECRETS[1],
                SECRETS[3],
            )
            with engine.connect() as connection:
                assert connection.scalar(select(func.count()).select_from(ConversationStateRow)) == 0
                created = connection.scalar(select(HandoverRow.created_at))
            assert created.tzinfo is not None
            later = Handovers(engine, cipher, lambda row, tried: None)
            assert later.create(uuid.uuid4().hex, draft(), "key-after-restore").created, (
                "new ids follow the old"
            )
        finally:
            engine.dispose()


def test_a_backup_does_not_open_without_its_key_nor_restore_over_data(request, tmp_path, db_engine, filled):
    blob, _ = write_backup(db_engine, KEY)
    with pytest.raises(InvalidToken):
        backup_key("another-key-0123456789").decrypt(blob)
    (tmp_path / "other").mkdir()
    with empty_database(request, "sqlite", tmp_path / "other") as target:
        with pytest.raises(BackupError, match="does not open with this BACKUP_KEY"):
            restore_backup(blob, backup_key("another-key-0123456789"), target.url)
        restore_backup(blob, KEY, target.url)
        with pytest.raises(BackupError, match="only into an empty database"):
            restore_backup(blob, KEY, target.url)
    with pytest.raises(BackupError, match="at least 16"):
        backup_key("short")
