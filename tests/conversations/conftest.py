"""Conversation fixtures: the handover stores shared with the action server."""

from __future__ import annotations

import pytest

from app.runtime import build_stores
from storage.stores import Stores

ENROLLED = {"ccem": -1001, "amicale_du_nid": -1002, "hors_la_rue": -1003}


@pytest.fixture(scope="session")
def stores(settings, engine) -> Stores:
    """The same database as the action server, with three enrolled associations."""
    found = build_stores(settings)
    for association, group in ENROLLED.items():
        if found.directory.group_of(association) is None:
            found.directory.enroll(found.directory.new_enrollment_code(association), group, "admin")
    return found
