"""`python -m app directory …`: the admin commands, run as a subprocess on a fresh instance."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = """
id: asso_test
name: "Association de test"
forms: [labour]
publics: [adults]
languages: [fr, en]
departements: ["13"]
national: false
channels: [phone]
source: "test"
status: to_confirm
"""


@pytest.fixture
def admin(tmp_path):
    environment = {**os.environ, "INSTANCE_DIR": str(tmp_path / "instance")}
    environment.pop("DATABASE_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "app", "directory", *args],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    return run


def test_add_update_disable_and_enrolment_code(admin, tmp_path):
    entry = tmp_path / "entry.yml"
    entry.write_text(ENTRY, encoding="utf-8")
    assert "association(s) added" in admin("import").stdout
    added = admin("add", str(entry))
    assert added.returncode == 0 and "added asso_test" in added.stdout
    assert admin("add", str(entry)).returncode == 1, "adding twice is refused"
    entry.write_text(ENTRY.replace("Association de test", "Association renommée"), encoding="utf-8")
    assert admin("update", str(entry)).returncode == 0
    assert admin("disable", "asso_test").returncode == 0
    listing = admin("list").stdout
    assert "asso_test" in listing and "disabled" in listing and "Association renommée" in listing
    code = admin("code", "ccem")
    assert code.returncode == 0 and "/enroll " in code.stdout


def test_bad_input_gets_a_clear_message(admin, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("id: Bad Id\nname: x\n", encoding="utf-8")
    result = admin("add", str(broken))
    assert result.returncode == 1 and "directory add:" in result.stderr and "Traceback" not in result.stderr
    missing = admin("disable", "nobody")
    assert missing.returncode == 1 and "nobody" in missing.stderr
    assert admin("add", str(tmp_path / "absent.yml")).returncode == 1
