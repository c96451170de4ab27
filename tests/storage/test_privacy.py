"""The Telegram chat id never reaches the database in clear, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text

CHAT_ID = 987654321012


def sqlite_bytes(database) -> bytes:
    """The database file and any journal next to it."""
    files = [database.file, *database.file.parent.glob(f"{database.file.name}-*")]
    return b"".join(path.read_bytes() for path in files if path.is_file())


def test_chat_id_never_stored_in_clear(database, db_engine, ledger, person):
    ledger.record(person, CHAT_ID, 1, None)
    ledger.record(person, CHAT_ID, 2, None)
    assert [entry.chat_id for entry in ledger.messages_of(person)] == [CHAT_ID, CHAT_ID]
    db_engine.dispose()
    if database.kind == "sqlite":
        content = sqlite_bytes(database)
        assert str(CHAT_ID).encode() not in content
        assert CHAT_ID.to_bytes(6, "big") not in content  # nor as a SQLite integer
        return
    with db_engine.connect() as connection:
        refs = connection.execute(text("SELECT chat_ref::text FROM message_ledger")).scalars().all()
        rows = connection.execute(text("SELECT t::text FROM message_ledger AS t")).scalars().all()
    assert len(refs) == len(rows) == 2
    assert all(str(CHAT_ID) not in value for value in refs + rows)
