"""Intent F1 per language on the held-out test files (tests/nlu/<lang>/), danger recall and false alarms.

Two F1 figures per language: on every held-out message, and on those whose text (folded like the
danger words) does not also occur in the training data ("unseen"), so that short greetings
shared by both sets do not flatter the score. False alarms: other messages read as danger (by the
model, the danger classifier or a danger phrase: the whole NLU pipeline).

Usage: python scripts/nlu_eval.py [MODEL] [--confusions]   (default: models/assistant.tar.gz)

--confusions also lists, per language, the intent pairs most often confused (counts only, never
the held-out texts, so that new training data is written for an intent and not for a message).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sklearn.metrics import f1_score, recall_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core.danger import normalise  # noqa: E402
from core.phone_set import training_texts  # noqa: E402

TEST_DIR = ROOT / "tests" / "nlu"


def predictions(model: Path, language_dir: Path, out: Path) -> list[tuple[str, str, str]]:
    """(text, expected intent, predicted intent) for every held-out message of one language."""
    subprocess.run(
        [sys.executable, "-m", "rasa", "test", "nlu", "--model", str(model), "--nlu", str(language_dir),
         "--out", str(out), "--no-plot", "--successes"],
        cwd=ROOT, check=True, capture_output=True,
        env={**os.environ, "TQDM_DISABLE": "1", "RASA_TELEMETRY_ENABLED": "false"},
    )  # fmt: skip
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        for item in json.loads(path.read_text()) if path.exists() else []:
            rows.append((item["text"], item["intent"], (item.get("intent_prediction") or {}).get("name", "")))
    return rows


def scores(rows: list[tuple[str, str, str]]) -> tuple[int, float]:
    """Count and weighted F1 of some predictions."""
    if not rows:
        return 0, float("nan")
    expected, predicted = [r[1] for r in rows], [r[2] for r in rows]
    return len(rows), f1_score(expected, predicted, average="weighted", zero_division=0)


def confusions(rows: list[tuple[str, str, str]], top: int = 6) -> str:
    """The most frequent 'expected -> predicted' mistakes, as one line."""
    pairs = Counter((r[1], r[2]) for r in rows if r[1] != r[2]).most_common(top)
    return ", ".join(f"{expected}->{predicted or 'none'} {count}" for (expected, predicted), count in pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--confusions", action="store_true", help="list the most confused intent pairs")
    args = parser.parse_args()
    seen = training_texts()
    mistakes: dict[str, str] = {}
    print(
        f"{'language':<9}{'messages':>9}{'F1 all':>8}{'unseen':>8}{'F1 unseen':>11}{'danger recall':>15}"
        f"{'false alarms':>16}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for language_dir in sorted(p for p in TEST_DIR.iterdir() if p.is_dir()):
            rows = predictions(args.model, language_dir, Path(tmp) / language_dir.name)
            count, f1_all = scores(rows)
            unseen_count, f1_unseen = scores([r for r in rows if normalise(r[0]) not in seen])
            danger = [r for r in rows if r[1] == "danger"]
            recall = recall_score([r[1] for r in danger], [r[2] for r in danger], pos_label="danger",
                                  average="binary", zero_division=0) if danger else float("nan")  # fmt: skip
            others = [r for r in rows if r[1] != "danger"]
            alarms = sum(r[2] == "danger" for r in others)
            print(
                f"{language_dir.name:<9}{count:>9}{f1_all:>8.3f}{unseen_count:>8}{f1_unseen:>11.3f}{recall:>15.3f}"
                f"{alarms:>7} of {len(others):<5}"
            )
            mistakes[language_dir.name] = confusions(rows)
    if args.confusions:
        print("\nmost confused (expected->predicted count):")
        for language, line in mistakes.items():
            print(f"  {language}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
