"""Every store of one process on one database: migrated once, one connection pool, one cipher."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from core.directory import load_seed
from core.handover_routing import next_association_for
from core.keyed_hash import KeyedHasher
from storage.crypto import FieldCipher
from storage.database import make_engine, migrate
from storage.directory import Directory
from storage.exit_words import ExitWords
from storage.handovers import Handovers, Policy
from storage.message_ledger import MessageLedger


@dataclass(frozen=True)
class Stores:
    """The message ledger, code words, the live directory and the handover requests."""

    db: Engine
    ledger: MessageLedger
    exit_words: ExitWords
    directory: Directory
    handovers: Handovers


def open_stores(
    database_url: str, data_key: str, hasher: KeyedHasher, policy: Policy, import_seed: bool = True
) -> Stores:
    """Bring the schema up to date, open one pool, and seed the directory with new associations."""
    migrate(database_url)
    db = make_engine(database_url)
    cipher = FieldCipher(data_key)
    directory = Directory(db, hasher)
    if import_seed:
        directory.import_seed(load_seed())
    handovers = Handovers(db, cipher, next_association_for(directory), policy)
    return Stores(db, MessageLedger(db, cipher), ExitWords(db, hasher), directory, handovers)
