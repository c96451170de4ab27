"""The actions the domain names are exactly those the action server serves, and they find their stores."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import SimpleNamespace

from rasa_sdk import Action

import actions
from actions import stores
from tests.actions.turns import DOMAIN


def served_names() -> set[str]:
    """The name of every concrete action in the actions package, as rasa_sdk discovers them."""
    names: set[str] = set()
    for module in pkgutil.iter_modules(actions.__path__):
        for _, cls in inspect.getmembers(importlib.import_module(f"actions.{module.name}"), inspect.isclass):
            if issubclass(cls, Action) and cls.__module__.startswith("actions."):
                try:
                    name = cls().name()
                except NotImplementedError:
                    continue
                if name and not name.endswith("_"):  # bases: "" or the "action_ask_ho_" prefix
                    names.add(name)
    return names


def test_every_domain_action_is_served_and_every_served_action_is_declared():
    assert served_names() == set(DOMAIN["actions"])


def test_the_stores_come_from_the_action_servers_runtime(monkeypatch):
    runtime = SimpleNamespace(stores=SimpleNamespace(directory="the directory", handovers="the requests"))
    monkeypatch.setattr(stores, "action_runtime", lambda: runtime)
    assert (stores.directory(), stores.handovers()) == ("the directory", "the requests")
