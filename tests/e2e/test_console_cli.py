"""`python -m app chat --json`: the scriptable console contract, as a separate process."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading

import httpx
import pytest

from app.config import REPO_ROOT
from core import payloads
from tests.support.ports import free_port

LINES = [
    "bonjour",
    json.dumps({"payload": payloads.choose_language("en")}),
    json.dumps({"text": "help he is going to hurt me"}),
    json.dumps({"text": "je dors dehors ce soir", "sender": "second"}),
    "",
    "{broken json",
]


def test_every_line_gets_json_replies_and_the_process_exits_cleanly(engine):
    result = subprocess.run(
        [sys.executable, "-m", "app", "chat", "--json"],
        input="\n".join(LINES) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) >= len(LINES)
    assert all({"sender", "text", "buttons", "language", "intent"} <= set(r) for r in replies)
    by_intent = {r["intent"]: r for r in reversed(replies)}  # the first reply of each intent
    assert by_intent["greet"]["language"] == "fr"
    assert by_intent["choose_language"]["language"] == "en"
    assert by_intent["danger"]["language"] == "en" and "114" in by_intent["danger"]["text"]
    shelter = by_intent["need_shelter"]
    assert (shelter["sender"], shelter["language"]) == ("second", "fr")
    assert all(isinstance(b, dict) and set(b) == {"title", "payload"} for r in replies for b in r["buttons"])


def test_run_without_a_token_serves_the_inbox_and_prints_the_demo_link(engine):
    """`make run` on an unconfigured machine: the console, the inbox, and a one-time link for the
    demo association's first coordinator; Ctrl-D stops everything it started."""
    port, web_port = free_port(), free_port()
    environment = {**os.environ, "INBOX_PORT": str(port), "WEBCHAT_PORT": str(web_port)}
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "run"], cwd=REPO_ROOT, env=environment, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        link, printed = None, []
        while link is None:
            printed.append(lines.get(timeout=180))
            found = re.search(r"(http://127\.0\.0\.1:\d+/setup/\S+)", printed[-1])
            link = found.group(1) if found else None
        assert any(f"http://127.0.0.1:{web_port}" in line for line in printed), "the web chat's address"
        assert link.startswith(f"http://127.0.0.1:{port}/")
        while "Ctrl-D" not in lines.get(timeout=180):
            pass  # the console is ready once the inbox and the engine are
        assert httpx.get(f"http://127.0.0.1:{web_port}/", timeout=10).status_code == 200, (
            "the web chat serves"
        )
        page = httpx.get(link, timeout=10)
        assert page.status_code == 200 and "<svg" in page.text, "the QR code to scan"
        assert "default-src 'none'" in page.headers["content-security-policy"]
    finally:
        process.stdin.close()
        assert process.wait(timeout=120) == 0
    for stopped in (f"http://127.0.0.1:{port}/login", f"http://127.0.0.1:{web_port}/"):
        with pytest.raises(httpx.ConnectError):
            httpx.get(stopped, timeout=5)
