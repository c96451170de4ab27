"""`python -m app chat --json`: the scriptable console contract, as a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from app.config import REPO_ROOT
from core import payloads

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
