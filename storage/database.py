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


def database_url(instance_dir: Path) -> str:
    """The DATABASE_URL environment variable, else a SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    instance_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{instance_dir}/{DATABASE_FILE}"


def make_engine(url: str, connect_args: dict[str, Any] | None = None) -> Engine:
    """A 2.0-style engine; SQLite gets foreign keys and may be shared between threads."""
    arguments = dict(connect_args or {})
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        arguments.setdefault("check_same_thread", False)
    engine = create_engine(url, future=True, pool_pre_ping=True, connect_args=arguments)
    if is_sqlite:
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _connection_record: Any) -> None:
    """Turn on foreign key enforcement, which SQLite leaves off by default."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
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
