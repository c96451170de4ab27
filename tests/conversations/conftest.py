"""Conversation fixtures: the handover stores shared with the action server."""

from __future__ import annotations

import pytest

from app.runtime import build_stores
from core.keyed_hash import KeyedHasher
from storage.stores import Stores
from tests.support.inbox import enroll_group, make_reachable

ENROLLED = {"ccem": -1001, "amicale_du_nid": -1002, "hors_la_rue": -1003}


@pytest.fixture(scope="session")
def stores(settings, engine) -> Stores:
    """The same database as the action server, with three associations reachable in the inbox."""
    found = build_stores(settings)
    make_reachable(found, settings.data_key, KeyedHasher(settings.pseudonym_key), *ENROLLED)
    for association, group in ENROLLED.items():
        if found.directory.group_of(association) is None:
            enroll_group(found.directory, association, group)
    return found
