"""`python -m app inbox …` and the demo of `make run`, run as subprocesses on a fresh instance."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pyotp
import pytest

from app.config import load_settings
from app.demo import DEMO_ID, DEMO_LOGIN, banner, prepare_demo
from app.runtime import build_stores
from core.keyed_hash import KeyedHasher
from tests.support.inbox import accounts_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def environment(tmp_path) -> dict[str, str]:
    found = {**os.environ, "INSTANCE_DIR": str(tmp_path / "instance"), "INBOX_PORT": "18090"}
    for name in ("DATABASE_URL", "DATA_KEY", "PSEUDONYM_KEY", "TELEGRAM_BOT_TOKEN", "DEMO"):
        found.pop(name, None)
    return found


def app(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_accounts_from_the_command_line(environment):
    added = app(environment, "inbox", "add", "ccem", "claire@ccem", "--name", "Claire")
    assert added.returncode == 0 and re.search(r"http://127\.0\.0\.1:18090/setup/\S{20,}", added.stdout)
    again = app(environment, "inbox", "add", "ccem", "claire@ccem", "--name", "Claire")
    assert again.returncode == 1 and "already used" in again.stderr
    unknown = app(environment, "inbox", "add", "nobody", "x@y", "--name", "X")
    assert unknown.returncode == 1 and "no association" in unknown.stderr
    listed = app(environment, "inbox", "accounts", "ccem")
    assert "coordinator" in listed.stdout and "setup link not used" in listed.stdout
    link = app(environment, "inbox", "link", "claire@ccem")
    assert link.returncode == 0 and "/setup/" in link.stdout
    assert app(environment, "inbox", "unlock", "nobody@ccem").returncode == 1
    assert "Claire" not in added.stderr + link.stderr


def test_the_demo_is_offered_only_on_an_unconfigured_machine(environment, monkeypatch):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    stores = build_stores(settings)
    accounts = accounts_of(stores, settings.data_key, KeyedHasher(settings.pseudonym_key))
    first = prepare_demo(settings, stores.directory, accounts)
    assert first is not None and first.setup_link and "DEMO" in banner(first)
    assert stores.directory.get(DEMO_ID).name.startswith("DÉMO")
    second = prepare_demo(settings, stores.directory, accounts)
    assert second.setup_link != first.setup_link, "a fresh link each start until it is used"
    token = second.setup_link.rsplit("/", 1)[1]
    setup = accounts.begin_setup(token)
    accounts.complete_setup(token, "a long enough passphrase", pyotp.TOTP(setup.secret).now())
    ready = prepare_demo(settings, stores.directory, accounts)
    assert ready.setup_link is None and DEMO_LOGIN in banner(ready)
    assert [a.id for a in stores.directory.reachable()] == [DEMO_ID]

    production = dataclasses.replace(settings, telegram_token="123:abc")
    assert prepare_demo(production, stores.directory, accounts) is None
    assert stores.directory.get(DEMO_ID).active is False and stores.directory.reachable() == []
    switched_off = dataclasses.replace(settings, demo=False)
    assert prepare_demo(switched_off, stores.directory, accounts) is None
    stores.db.dispose()
