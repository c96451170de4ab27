"""Intent F1 per language on the held-out test files (tests/nlu/<lang>/), and danger recall.

Usage: python scripts/nlu_eval.py [MODEL]   (default: models/assistant.tar.gz)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_DIR = ROOT / "tests" / "nlu"


def evaluate(model: Path, language_dir: Path, out: Path) -> dict:
    """Run `rasa test nlu` on one language's held-out files; return Rasa's intent report."""
    subprocess.run(
        [sys.executable, "-m", "rasa", "test", "nlu", "--model", str(model),
         "--nlu", str(language_dir), "--out", str(out), "--no-plot"],
        cwd=ROOT, check=True, capture_output=True, env={**os.environ, "TQDM_DISABLE": "1"},
    )  # fmt: skip
    return json.loads((out / "intent_report.json").read_text())


def main() -> int:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "assistant.tar.gz"
    print(f"{'language':<9}{'examples':>9}{'F1 (weighted)':>15}{'F1 (macro)':>12}{'danger recall':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        for language_dir in sorted(p for p in TEST_DIR.iterdir() if p.is_dir()):
            report = evaluate(model, language_dir, Path(tmp) / language_dir.name)
            danger = report.get("danger", {}).get("recall", float("nan"))
            print(
                f"{language_dir.name:<9}{report['weighted avg']['support']:>9}"
                f"{report['weighted avg']['f1-score']:>15.3f}{report['macro avg']['f1-score']:>12.3f}"
                f"{danger:>15.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
