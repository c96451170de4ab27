"""Every store of one process on one database: migrated once, one connection pool, one cipher."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from core.clock import Clock, utc_now
from core.directory import load_seed
from core.handover_routing import next_association_for
from core.keyed_hash import KeyedHasher
from storage.crypto import FieldCipher
from storage.database import make_engine, migrate
from storage.directory import Directory
from storage.handovers import Handovers, Policy
from storage.message_ledger import MessageLedger
from storage.person_settings import PersonSettingsStore
from storage.turns import TurnStore


@dataclass(frozen=True)
class Stores:
    """The message ledger, person settings, the live directory, the handover requests, turns."""

    db: Engine
    ledger: MessageLedger
    person_settings: PersonSettingsStore
    directory: Directory
    handovers: Handovers
    turns: TurnStore


def open_stores(
    database_url: str,
    data_key: str,
    hasher: KeyedHasher,
    policy: Policy,
    import_seed: bool = True,
    clock: Clock = utc_now,
) -> Stores:
    """Bring the schema up to date, open one pool, and seed the directory with new associations."""
    migrate(database_url)
    db = make_engine(database_url)
    cipher = FieldCipher(data_key)
    directory = Directory(db, hasher, clock)
    if import_seed:
        directory.import_seed(load_seed())
    handovers = Handovers(db, cipher, next_association_for(directory), policy, clock)
    ledger = MessageLedger(db, cipher, clock)
    person_settings = PersonSettingsStore(hasher, clock)
    turns = TurnStore(db, ledger, person_settings, handovers)
    return Stores(db, ledger, person_settings, directory, handovers, turns)
