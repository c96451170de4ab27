"""The handover storage of one process (bot or action server), built from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.pseudonym import Pseudonymiser
from core.directory import load_seed
from core.handover_routing import next_association_for
from storage.crypto import FieldCipher
from storage.database import make_engine, migrate
from storage.directory import Directory
from storage.handovers import Handovers


@dataclass(frozen=True)
class HandoverStores:
    """The live directory, the requests with their outbox, and the pseudonymiser for members."""

    directory: Directory
    handovers: Handovers
    pseudonymiser: Pseudonymiser


def build_handover_stores(settings: Settings, import_seed: bool = True) -> HandoverStores:
    """Migrate the database, add the seed associations not known yet, and open the stores."""
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    directory = Directory(engine, settings.pseudonym_key)
    if import_seed:
        directory.import_seed(load_seed())
    cipher = FieldCipher(settings.data_key)
    handovers = Handovers(engine, cipher, next_association_for(directory), settings.handover_policy)
    return HandoverStores(directory, handovers, Pseudonymiser(settings.pseudonym_key))
