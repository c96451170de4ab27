"""`python -m app backup create|restore`: encrypted backups of the database (storage/backup.py).

The backup key (BACKUP_KEY, else the instance file backup.key, made once) opens a backup; keep
a copy of it apart from the backups, and apart from DATA_KEY, which opens the personal fields.
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime, timezone
from pathlib import Path

from cryptography.fernet import Fernet

from app.config import REPO_ROOT, Settings
from app.secrets import instance_secret
from storage.backup import BackupError, BackupSummary, backup_key, restore_backup, write_backup
from storage.database import make_engine


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The `backup` command and its actions."""
    parser = commands.add_parser("backup", help="encrypted backups of the database (admin)")
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="write an encrypted backup file")
    create.add_argument("--to", type=Path, help="folder of backups (BACKUP_DIR, else var/backups)")
    restore = actions.add_parser("restore", help="restore a backup into the configured, empty database")
    restore.add_argument("file", type=Path)


def run(settings: Settings, args: argparse.Namespace) -> tuple[int, str]:
    """Create or restore: the exit code and what to print."""
    key = backup_key(instance_secret("BACKUP_KEY", settings.instance_dir, "backup.key"))
    try:
        if args.action == "create":
            return 0, _create(settings, key, args.to)
        return 0, _restore(settings, key, args.file)
    except BackupError as error:
        return 1, f"backup {args.action}: {error}"
    except OSError as error:
        return 1, f"backup {args.action}: {error.strerror or type(error).__name__} ({error.filename})"


def _create(settings: Settings, key: Fernet, folder: Path | None) -> str:
    folder = folder or Path(os.environ.get("BACKUP_DIR") or REPO_ROOT / "var" / "backups")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = make_engine(settings.database_url)
    try:
        blob, summary = write_backup(engine, key)
    finally:
        engine.dispose()
    path = folder / f"assistant-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}.backup"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(blob)
    return f"{path}\n{_described(summary)}"


def _restore(settings: Settings, key: Fernet, file: Path) -> str:
    summary = restore_backup(file.read_bytes(), key, settings.database_url)
    return f"restored into the configured database\n{_described(summary)}"


def _described(summary: BackupSummary) -> str:
    total = sum(summary.rows.values())
    return f"schema {summary.revision}, {total} rows in {len(summary.rows)} tables"
