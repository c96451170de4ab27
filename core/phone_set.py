"""The phone-shaped held-out messages of one language (tests/nlu_phone/<lang>/phone.yml), and the
training examples they must stay apart from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.danger import normalise
from core.nlu_files import examples
from core.plain_language import units

ROOT = Path(__file__).resolve().parent.parent
PHONE_SET_DIR = ROOT / "tests" / "nlu_phone"
TRAINING_DIR = ROOT / "nlu"
DANGER_EXAMPLES_DIR = ROOT / "data" / "danger_examples"  # the danger classifier's own examples
LONG_WORDS = 25  # a situation told at length, not a neat question (Chinese: 40 characters)
LONG_CHARACTERS = 40


@dataclass(frozen=True)
class PhoneMessage:
    """One held-out message and the intent a person writing it needs first."""

    text: str
    intent: str
    language: str

    @property
    def long(self) -> bool:
        """A long situation description rather than a short question."""
        limit = LONG_CHARACTERS if self.language == "zh" else LONG_WORDS
        return units(self.text, self.language) >= limit


def load(language: str, directory: Path = PHONE_SET_DIR) -> list[PhoneMessage]:
    """Every message of a language's phone set, in file order."""
    found = examples(directory / language / "phone.yml")
    return [PhoneMessage(text, intent, language) for intent, text in found]


def training_texts(directory: Path = TRAINING_DIR, extra: Path = DANGER_EXAMPLES_DIR) -> set[str]:
    """Every training example of every language, folded like the danger words."""
    files = [*directory.glob("*/*.yml"), *extra.glob("*.yml")]
    return {normalise(text) for path in files for _, text in examples(path)}
