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
from storage.crypto import FieldCipher
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


def test_a_backup_from_the_command_line_restores_on_a_fresh_machine(environment, tmp_path, monkeypatch):
    """Keys kept apart: the backup key opens the file, DATA_KEY the personal fields; neither is in it."""

    from sqlalchemy import text

    from storage.inbox_requests import InboxRequests
    from storage.inbox_sessions import Who
    from tests.storage.test_handovers import SECRETS, draft

    monkeypatch.setenv("INSTANCE_DIR", environment["INSTANCE_DIR"])
    for name in ("DATABASE_URL", "DATA_KEY", "PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    stores = build_stores(settings)
    with stores.db.begin() as connection:
        connection.execute(text("UPDATE associations SET active = true"))
    reference = stores.handovers.create(
        "p" * 32, dataclasses.replace(draft(), association_id="ccem"), "k1"
    ).reference
    stores.db.dispose()

    backups = tmp_path / "backups"
    made = app(
        {**environment, "BACKUP_KEY": "kept-apart-backup-key-123"}, "backup", "create", "--to", str(backups)
    )
    assert made.returncode == 0, made.stderr
    (file,) = backups.iterdir()
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    assert all(secret.encode() not in file.read_bytes() for secret in SECRETS)

    fresh = {**environment, "INSTANCE_DIR": str(tmp_path / "fresh")}
    without_key = app(fresh, "backup", "restore", str(file))
    assert without_key.returncode == 1 and "does not open with this BACKUP_KEY" in without_key.stderr
    fresh["DATA_KEY"] = settings.data_key  # carried to the new machine apart from the backups
    restored = app({**fresh, "BACKUP_KEY": "kept-apart-backup-key-123"}, "backup", "restore", str(file))
    assert restored.returncode == 0, restored.stderr

    monkeypatch.setenv("INSTANCE_DIR", fresh["INSTANCE_DIR"])
    monkeypatch.setenv("DATA_KEY", settings.data_key)
    again = load_settings()
    engine = build_stores(again, import_seed=False).db
    detail = InboxRequests(engine, FieldCipher(again.data_key)).detail(
        reference, Who(1, "ccem", "coordinator")
    )
    assert detail is not None and (detail.draft.alias, detail.draft.phone) == (SECRETS[0], SECRETS[1])
    engine.dispose()
