"""The stores the actions use, from the action server's runtime (built once, on first use)."""

from __future__ import annotations

from app.runtime import action_runtime
from storage.directory import Directory
from storage.handovers import Handovers


def directory() -> Directory:
    """The live directory of associations."""
    return action_runtime().stores.directory


def handovers() -> Handovers:
    """Handover requests and their outbox."""
    return action_runtime().stores.handovers
