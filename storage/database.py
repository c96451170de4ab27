"""Where the database lives, how to connect to it and how to bring its schema up to date."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DATABASE_FILE = "assistant.db"
SQLITE_BUSY_TIMEOUT_MS = 2000


def database_url(instance_dir: Path) -> str:
    """The DATABASE_URL environment variable, else a SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    instance_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{instance_dir}/{DATABASE_FILE}"


def make_engine(url: str, connect_args: dict[str, Any] | None = None) -> Engine:
    """A 2.0-style engine; SQLite connections get our pragmas and may be shared between threads."""
    arguments = dict(connect_args or {})
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        arguments.setdefault("check_same_thread", False)
    engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=arguments)
    if is_sqlite:
        event.listen(engine, "connect", _configure_sqlite)
    return engine


# Foreign keys on; erased values overwritten on disk; readers never wait for a writer (WAL), and a
# writer waits a bounded time for another one, so that a locked database fails fast, not late.
SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    "PRAGMA journal_mode=WAL",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
)


def _configure_sqlite(dbapi_connection: Any, _connection_record: Any) -> None:
    """Apply the pragmas of every SQLite connection."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def alembic_config(url: str, connect_args: dict[str, Any] | None = None) -> Config:
    """An in-memory Alembic configuration for our migrations (no alembic.ini, no logging setup)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connect_args"] = dict(connect_args or {})
    return config


def migrate(url: str, connect_args: dict[str, Any] | None = None) -> None:
    """Upgrade the database schema to the latest revision."""
    command.upgrade(alembic_config(url, connect_args), "head")
