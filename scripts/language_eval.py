"""Language detection on the held-out messages of every language: right, unsure or wrong.

Usage: python scripts/language_eval.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.language_detection import LanguageDetector  # noqa: E402
from core import language_model  # noqa: E402
from core.nlu_files import examples  # noqa: E402

MODEL = ROOT / "models" / "assistant.tar.gz"  # the language model is built beside it (make model)


def held_out() -> list[tuple[str, str]]:
    """(language, text) of every held-out message."""
    files = sorted((ROOT / "tests" / "nlu").glob("*/*.yml"))
    return [(path.parent.name, text) for path in files for _, text in examples(path)]


def main() -> int:
    detector = LanguageDetector(model=language_model.load(language_model.path_beside(MODEL)))
    counts: dict[str, Counter] = {}
    started = time.perf_counter()
    messages = held_out()
    for language, text in messages:
        found = detector.detection(text)
        found = None if found is not None and found.weak else found  # a hint never switches a conversation
        outcome = "unsure" if found is None else ("right" if found.language == language else "wrong")
        kind = "sure" if found is not None and found.sure else "guess"
        counts.setdefault(language, Counter())[outcome] += 1
        counts[language][f"{outcome}_{kind}"] += 1
    per_message = (time.perf_counter() - started) / len(messages) * 1000
    print(f"{'language':<9}{'messages':>9}{'right':>8}{'unsure':>8}{'wrong':>8}")
    total: Counter = Counter()
    for language, found in sorted(counts.items()):
        n = sum(found[k] for k in ("right", "unsure", "wrong"))
        total.update({k: found[k] for k in ("right", "unsure", "wrong")})
        print(f"{language:<9}{n:>9}" + "".join(f"{found[k] / n:>8.2f}" for k in ("right", "unsure", "wrong")))
    n = sum(total.values())
    print(f"{'all':<9}{n:>9}" + "".join(f"{total[k] / n:>8.2f}" for k in ("right", "unsure", "wrong")))
    print(f"{per_message:.2f} ms per message")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
