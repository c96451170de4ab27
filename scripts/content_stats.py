"""Print how plain the person-facing texts are, per language: words per screen and per sentence."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from babel.messages.pofile import read_po

from actions.rights import answer_text
from core.i18n import LOCALES_DIR
from core.languages import SUPPORTED
from core.plain_language import is_professional, limits, sentences, units
from core.rights import load


def person_texts(language: str) -> list[str]:
    """Every person-facing screen: the rights answers as shown, and every other catalog text."""
    content = load()
    answers = [answer_text(language, content, item) for item in content.items()]
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        others = [
            m.string
            for m in read_po(handle)
            if m.id and m.string and not is_professional(m.id) and not m.id.startswith("rights.")
        ]
    return answers + others


def main() -> None:
    print("Plain language (person-facing screens; Chinese in characters, Vietnamese in syllables)")
    print(f"{'lang':<5}{'screens':>8}{'median':>8}{'max':>6}{'limit':>7}{'longest sentence':>18}{'limit':>7}")
    for language in SUPPORTED:
        texts = person_texts(language)
        sizes = [units(text, language) for text in texts]
        longest = max(units(s, language) for text in texts for s in sentences(text))
        limit = limits(language)
        print(
            f"{language:<5}{len(texts):>8}{statistics.median(sizes):>8.0f}{max(sizes):>6}"
            f"{limit.screen:>7}{longest:>18}{limit.sentence:>7}"
        )


if __name__ == "__main__":
    main()
