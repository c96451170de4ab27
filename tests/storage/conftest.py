"""Storage fixtures: every database test runs on SQLite and on PostgreSQL, each in isolation."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from storage.crypto import FieldCipher
from storage.database import make_engine, migrate
from storage.message_ledger import MessageLedger

POSTGRES_USERS = ("postgres", "root")
POSTGRES_ADDRESS = "127.0.0.1:5432/test"
SECRET = "ledger-test-secret-0123456789"


@dataclass(frozen=True)
class Database:
    """One test database: its URL, connection arguments and, for SQLite, its file."""

    kind: str
    url: str
    connect_args: dict[str, str] = field(default_factory=dict)
    file: Path | None = None

    def engine(self) -> Engine:
        """A fresh engine on this database."""
        return make_engine(self.url, self.connect_args)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of the test PostgreSQL server with the first user it accepts; skips when none is accepted."""
    failures = []
    for user in POSTGRES_USERS:
        url = f"postgresql+psycopg2://{user}@{POSTGRES_ADDRESS}"
        engine = create_engine(url, future=True, connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return url
        except OperationalError as error:
            failures.append(f"{user}: {str(error.orig).strip().splitlines()[0]}")
        finally:
            engine.dispose()
    pytest.skip(f"no connection to PostgreSQL at {POSTGRES_ADDRESS} ({'; '.join(failures)})")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    with empty_database(request, request.param, tmp_path) as database:
        yield database


@contextmanager
def empty_database(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> Iterator[Database]:
    """A SQLite file, or a PostgreSQL schema of its own dropped when done."""
    if kind == "sqlite":
        file = tmp_path / "assistant.db"
        yield Database("sqlite", f"sqlite:///{file}", file=file)
        return
    server_url = request.getfixturevalue("postgres_url")
    schema = f"ledger_{uuid.uuid4().hex}"
    admin = create_engine(server_url, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield Database("postgresql", server_url, {"options": f"-csearch_path={schema}"})
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_engine(database: Database) -> Iterator[Engine]:
    """An engine on the migrated database, disposed after the test."""
    migrate(database.url, database.connect_args)
    engine = database.engine()
    yield engine
    engine.dispose()


@pytest.fixture
def cipher() -> FieldCipher:
    """The field cipher of the tests."""
    return FieldCipher(SECRET)


@pytest.fixture
def ledger(db_engine: Engine, cipher: FieldCipher) -> MessageLedger:
    """A message ledger on the migrated database."""
    return MessageLedger(db_engine, cipher)


@pytest.fixture
def person() -> str:
    """A fresh 32-hex-character pseudonym."""
    return uuid.uuid4().hex


REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_client() -> Iterator[object]:
    """The test Redis server; every key a test writes carries its own prefix and is removed after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"no connection to Redis at {REDIS_URL} ({type(error).__name__})")
    yield client
    client.close()
