"""Database URL, engine options and migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import stat
import threading
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.database import alembic_config, database_url, make_engine, migrate
from storage.models import Base


def test_database_url_prefers_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://someone@db/assistant")
    assert database_url(tmp_path / "instance") == "postgresql+psycopg2://someone@db/assistant"
    assert not (tmp_path / "instance").exists()


def test_database_url_defaults_to_sqlite_in_a_private_instance_folder(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    assert database_url(instance) == f"sqlite:///{instance}/assistant.db"
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700


def test_sqlite_engine_enforces_foreign_keys_and_crosses_threads(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        raw = engine.raw_connection()
        errors: list[BaseException] = []

        def use_elsewhere() -> None:
            try:
                raw.cursor().execute("SELECT 1")
            except Exception as error:  # noqa: BLE001 - reported to the main thread
                errors.append(error)

        thread = threading.Thread(target=use_elsewhere)
        thread.start()
        thread.join()
        raw.close()
        assert errors == []
    finally:
        engine.dispose()


INBOX_TABLES = (
    "inbox_accounts",
    "inbox_setup_links",
    "inbox_recovery_codes",
    "inbox_sessions",
    "inbox_access_log",
    "relay_messages",
    "inbox_notes",
)


def test_migrate_creates_the_table_and_downgrade_removes_it(database):
    migrate(database.url, database.connect_args)
    migrate(database.url, database.connect_args)  # already at head: nothing to do
    engine = database.engine()
    try:
        inspector = inspect(engine)
        tables = {"message_ledger", "person_settings", "associations", "handovers", "outbox", "audit_log",
                  *INBOX_TABLES}  # fmt: skip
        assert tables | {"alembic_version", "enrollment_codes"} <= set(inspector.get_table_names())
        columns = {column["name"]: column for column in inspector.get_columns("message_ledger")}
        assert set(columns) == {
            "id", "pseudonym", "channel", "chat_ref", "message_id", "recorded_at", "delete_after"
        }  # fmt: skip
        assert [name for name, column in columns.items() if column["nullable"]] == ["delete_after"]
        indexes = {index["name"]: index["column_names"] for index in inspector.get_indexes("message_ledger")}
        assert indexes["ix_message_ledger_pseudonym"] == ["pseudonym"]
        assert indexes["ix_message_ledger_delete_after"] == ["delete_after"]
        uniques = [c["column_names"] for c in inspector.get_unique_constraints("message_ledger")]
        assert ["pseudonym", "message_id"] in uniques
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0009"

        command.downgrade(alembic_config(database.url, database.connect_args), "base")
        handover_tables = {"associations", "enrollment_codes", "handovers", "outbox", "audit_log"}
        remaining = set(inspect(engine).get_table_names())
        assert not {"message_ledger", "person_settings", *handover_tables, *INBOX_TABLES} & remaining
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(database):
    migrate(database.url, database.connect_args)
    engine = database.engine()
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()


def test_migrate_leaves_logging_alone(database):
    root, ours = logging.getLogger(), logging.getLogger("bot.storage_test")
    handlers, level = list(root.handlers), root.level
    migrate(database.url, database.connect_args)
    assert root.handlers == handlers
    assert root.level == level
    assert not ours.disabled


def test_code_words_move_to_person_settings_and_back(database):
    config = alembic_config(database.url, database.connect_args)
    command.upgrade(config, "0003")
    engine = database.engine()
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO exit_words (pseudonym, word_hash) VALUES ('p1', 'h1')"))
        command.upgrade(config, "head")
        with engine.connect() as connection:
            row = connection.execute(text("SELECT code_word_hash, auto_erase_seconds FROM person_settings"))
            assert row.one() == ("h1", None)
        command.downgrade(config, "0003")
        with engine.connect() as connection:
            restored = connection.execute(text("SELECT pseudonym, word_hash FROM exit_words")).one()
            assert restored == ("p1", "h1")
    finally:
        engine.dispose()
