"""Conventions enforced by tests: layering, no texts in code, no message contents in logs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core.handover import RequestStatus

ROOT = Path(__file__).resolve().parent.parent
CODE_PACKAGES = ("app", "bot", "core", "actions", "rasa_components", "storage")
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
# Names that hold what a person wrote or who they are; they must never reach a log call.
SENSITIVE_NAMES = {
    "text",
    "message",
    "body",
    "update",
    "person",
    "user",
    "user_id",
    "sender",
    "line",
    "query",
}


def python_files(*packages: str) -> list[Path]:
    return [path for package in packages for path in (ROOT / package).rglob("*.py")]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", python_files("actions", "core"), ids=str)
def test_actions_and_core_never_import_telegram(path):
    assert "telegram" not in imported_modules(path)


@pytest.mark.parametrize("path", python_files("actions"), ids=str)
def test_the_action_server_never_imports_the_bot(path):
    """Actions get their stores from app.runtime; the channels and the turn stay in the bot."""
    assert "bot" not in imported_modules(path)


@pytest.mark.parametrize("path", python_files("storage"), ids=str)
def test_storage_knows_nothing_of_channels_or_the_engine(path):
    assert not imported_modules(path) & {"telegram", "app", "bot", "actions", "rasa", "rasa_sdk"}


@pytest.mark.parametrize("path", python_files("core"), ids=str)
def test_core_does_not_depend_on_channels_or_rasa(path):
    assert not imported_modules(path) & {"app", "bot", "actions", "storage", "rasa", "rasa_sdk"}


def log_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in LOG_METHODS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in {"logger", "logging", "log"}
    ]


@pytest.mark.parametrize("path", python_files(*CODE_PACKAGES), ids=str)
def test_no_log_call_receives_message_text_or_identity(path):
    for call in log_calls(path):
        used = {n.id for arg in call.args for n in ast.walk(arg) if isinstance(n, ast.Name)}
        used |= {n.attr for arg in call.args for n in ast.walk(arg) if isinstance(n, ast.Attribute)}
        assert not used & SENSITIVE_NAMES, f"{path.name}:{call.lineno} logs {used & SENSITIVE_NAMES}"


@pytest.mark.parametrize("path", python_files(*CODE_PACKAGES), ids=str)
def test_no_print_outside_the_command_line_and_console(path):
    if path.name in {"cli.py", "console.py"}:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prints = [
        n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"
    ]
    assert not prints, f"{path.name} prints at lines {prints}"


def code_strings(path: Path) -> list[ast.Constant]:
    """String constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", python_files("actions"), ids=str)
def test_actions_build_payloads_only_with_the_named_builders(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            getattr(node.func, "id", None) in {"make", "payload"}
            or getattr(node.func, "attr", None) == "make"
        )
    ]
    literals = [node.lineno for node in code_strings(path) if re.match(r"^/[a-z]", node.value)]
    assert not calls and not literals, f"{path.name}: ad hoc payloads at lines {calls + literals}"


@pytest.mark.parametrize("path", python_files("actions"), ids=str)
def test_actions_name_request_statuses_only_through_their_type(path):
    statuses = {status.value for status in RequestStatus}
    found = [node.lineno for node in code_strings(path) if node.value in statuses]
    assert not found, f"{path.name}: status literals at lines {found}"


def test_the_action_server_process_loads_nothing_of_the_bot():
    """Its runtime opens the stores only: no channel, no pipeline, no Telegram in that process."""
    import subprocess
    import sys

    probe = (
        "import sys, app.cli, actions.stores, actions.handover, app.runtime, app.engine_server; "
        "print(sorted(m for m in sys.modules if m == 'bot' or m.startswith(('bot.', 'telegram'))))"
    )
    command = [sys.executable, "-c", probe]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
