"""Intent accuracy and danger recall on the phone-shaped held-out messages (tests/nlu_phone/<lang>/).

These messages were written apart from the training data, shaped like what people type on a phone
(long situation descriptions, missing accents, French administrative words in another language,
Arabic in Latin letters), and are never used for training (tests/unit/test_phone_set.py).
"intent" is the intent the assistant acts on (a hesitation, nlu_fallback, counts as wrong, except
when its likeliest reading is off topic: the assistant then answers as it does off topic);
"first" is its first choice, which a hesitation offers as the first button. Danger counts as
caught when the model says danger or the danger lexicon matches, as in the pipeline; false alarms
are other messages that either flags.

--without-vectors reads every message as a processor without AVX2 would (no meaning vector: the
intent model's characters-only machine reads it).

Usage: python scripts/phone_eval.py [MODEL] [--confusions] [--without-vectors]
(default model: models/assistant.tar.gz)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.danger import contains_danger, normalise  # noqa: E402
from core.languages import SUPPORTED  # noqa: E402
from core.phone_set import PhoneMessage, load, training_texts  # noqa: E402
from core.sentence_vectors import SWITCH_SETTING  # noqa: E402
from core.suggestions import HESITATION, OFF_TOPIC  # noqa: E402

DANGER = "danger"


def acted_on(intent: str, first: str) -> str:
    """The intent the assistant acts on: a hesitation whose likeliest reading is off topic gets the
    menu, as off topic does (core.suggestions.suggestions), so it counts as off topic."""
    return OFF_TOPIC if intent == HESITATION and first == OFF_TOPIC else intent


async def predict(model: Path, messages: list[PhoneMessage]) -> list[tuple[str, str]]:
    """For each message in order, the model's intent and its first choice: the intent itself, or
    when it hesitated (nlu_fallback, answered with buttons to the likeliest topics) the first of
    those."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)  # Rasa's debug lines would print every message parsed
    agent = Agent.load(str(model))
    predicted = []
    for message in messages:
        parsed = await agent.parse_message(message.text)
        intent = (parsed.get("intent") or {}).get("name") or ""
        ranked = [item.get("name") or "" for item in parsed.get("intent_ranking") or []]
        first = next((name for name in ranked if name != HESITATION), intent)
        predicted.append((acted_on(intent, first), first))
    return predicted


def ratio(hits: int, total: int) -> str:
    return f"{hits / total:.2f}" if total else "  - "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--confusions", action="store_true", help="the most confused intent pairs (counts)")
    parser.add_argument("--without-vectors", action="store_true", help="as served without the vector engine")
    args = parser.parse_args()
    if args.without_vectors:  # as on a processor without AVX2
        os.environ[SWITCH_SETTING] = "off"
    logging.disable(logging.WARNING)
    messages = {language: load(language) for language in SUPPORTED}
    trained = training_texts()
    flat = [message for language in SUPPORTED for message in messages[language]]
    both = dict(zip(map(id, flat), asyncio.run(predict(args.model, flat)), strict=True))
    predicted = {key: intent for key, (intent, _) in both.items()}
    first = {key: choice for key, (_, choice) in both.items()}
    served = " (without the meaning vector engine)" if args.without_vectors else ""
    print(f"Phone-shaped held-out messages (tests/nlu_phone): intent, danger recall, false alarms{served}")
    print(
        f"{'lang':<5}{'msgs':>5}{'intent':>8}{'first':>7}{'unseen':>8}{'long':>6}"
        f"{'danger recall':>15}{'model only':>11}{'false alarms':>14}"
    )
    totals = Counter()
    mistakes: dict[str, Counter] = {}
    for language in SUPPORTED:
        rows = [(m, predicted[id(m)]) for m in messages[language]]
        right = sum(m.intent == p for m, p in rows)
        firsts = sum(m.intent == first[id(m)] for m, _ in rows)
        unseen = [(m, p) for m, p in rows if normalise(m.text) not in trained]
        long_rows = [(m, p) for m, p in rows if m.long]
        dangers = [(m, p) for m, p in rows if m.intent == DANGER]
        caught = sum(p == DANGER or contains_danger(m.text) for m, p in dangers)
        by_model = sum(p == DANGER for _, p in dangers)
        others = [(m, p) for m, p in rows if m.intent != DANGER]
        alarms = sum(p == DANGER or contains_danger(m.text) for m, p in others)
        print(
            f"{language:<5}{len(rows):>5}{ratio(right, len(rows)):>8}{ratio(firsts, len(rows)):>7}"
            f"{ratio(sum(m.intent == p for m, p in unseen), len(unseen)):>8}"
            f"{ratio(sum(m.intent == p for m, p in long_rows), len(long_rows)):>6}"
            f"{ratio(caught, len(dangers)):>15}{ratio(by_model, len(dangers)):>11}"
            f"{alarms:>5} of {len(others):<5}"
        )
        totals.update(messages=len(rows), right=right, firsts=firsts, dangers=len(dangers), caught=caught,
                      alarms=alarms, others=len(others))  # fmt: skip
        mistakes[language] = Counter((m.intent, p) for m, p in rows if m.intent != p)
    print(
        f"{'all':<5}{totals['messages']:>5}{ratio(totals['right'], totals['messages']):>8}"
        f"{ratio(totals['firsts'], totals['messages']):>7}{'':>14}"
        f"{ratio(totals['caught'], totals['dangers']):>15}{'':>11}"
        f"{totals['alarms']:>5} of {totals['others']:<5}"
    )
    if args.confusions:  # counts only: never the held-out texts, so that no one trains on them
        print("\nmost confused (expected->predicted count):")
        for language, pairs in mistakes.items():
            line = ", ".join(f"{e}->{p or 'none'} {n}" for (e, p), n in pairs.most_common(6))
            print(f"  {language}: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
