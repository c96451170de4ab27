"""Secrets from the environment, or generated once into the instance folder with 0600 rights."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def instance_secret(env_var: str, instance_dir: Path, file_name: str) -> str:
    """Return the secret from `env_var`, else from (or newly into) `instance_dir/file_name`."""
    value = os.environ.get(env_var, "").strip()
    if value:
        return value
    path = instance_dir / file_name
    if not path.exists():
        _create_secret_file(path)
    return path.read_text(encoding="utf-8").strip()


def _create_secret_file(path: Path) -> None:
    """Write a fresh random secret readable by the owner only; never overwrite one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32))
