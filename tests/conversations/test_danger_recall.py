"""Every danger message of the held-out test files reaches the emergency numbers (recall 1.0)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

HELD_OUT = Path(__file__).resolve().parent.parent / "nlu"


def held_out_examples(intent: str) -> list[tuple[str, str]]:
    """(language, text) for every held-out example of an intent."""
    examples = []
    for path in sorted(HELD_OUT.glob("*/*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block.get("intent") == intent:
                lines = block["examples"].splitlines()
                examples += [(path.parent.name, line.strip()[2:]) for line in lines if line.strip()]
    return examples


DANGER = held_out_examples("danger")


def test_every_language_has_held_out_danger_messages():
    languages = {language for language, _ in DANGER}
    assert {"fr", "en"} <= languages
    assert all(sum(1 for lang, _ in DANGER if lang == code) >= 10 for code in languages)


@pytest.mark.parametrize(
    ("language", "text"), DANGER, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(DANGER)]
)
async def test_danger_message_brings_the_emergency_numbers(chat, language, text):
    screen = await chat(language).last(text)
    assert screen.intent == "danger", f"{text!r} read as {screen.intent}"
    assert all(number in screen.text for number in ("17", "112", "114", "119"))
