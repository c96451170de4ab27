"""Reading examples from files in Rasa's NLU layout (`nlu:` blocks with `examples: |` lists)."""

from __future__ import annotations

from pathlib import Path

import yaml


def examples(path: Path) -> list[tuple[str, str]]:
    """The (intent, text) of every example of a file, in file order; a block without an intent
    (a lookup table, a synonym) gives an empty intent."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for block in data.get("nlu") or []:
        intent = str(block.get("intent") or "")
        lines = str(block.get("examples") or "").splitlines()
        found += [(intent, line.strip()[2:].strip()) for line in lines if line.strip().startswith("- ")]
    return found
