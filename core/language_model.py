"""The language a message is written in, learnt from each language's training examples.

The statistical detector (lingua) knows Russian, Ukrainian and Bulgarian only in Cyrillic and
Arabic only in Arabic script, and reads Vietnamese without tone marks or Portuguese without accents
poorly; people type them that way. The training examples (`nlu/<lang>/`) are written as people
type, and their directory names their language: a linear model over the intent model's features
learns them. It is built with the Rasa model (app.training) into a file beside it, and serves the
bot as a guess when the detector is not sure (bot.language_detection); a guess starts a
conversation in its language but never switches one (core.languages.resolve).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from core.languages import SUPPORTED
from core.linear_text_model import LinearTextModel
from core.nlu_files import examples

logger = logging.getLogger(__name__)

NLU_DIR = Path(__file__).resolve().parent.parent / "nlu"
FILE_NAME = "languages.npz"


def path_beside(model_path: Path) -> Path:
    """Where the language model of a Rasa model is kept."""
    return model_path.parent / FILE_NAME


def training_examples(directory: Path = NLU_DIR) -> tuple[list[str], list[str]]:
    """Every example of every supported language's directory, with that language."""
    texts, languages = [], []
    for language in SUPPORTED:
        for path in sorted((directory / language).glob("*.yml")):
            found = [text for _, text in examples(path) if text]
            texts += found
            languages += [language] * len(found)
    return texts, languages


def train(directory: Path = NLU_DIR) -> LinearTextModel:
    """A language model learnt from the training examples."""
    # Without one spelling for Latin letters: measured, it told languages apart no better, and it
    # made "hahaha" look Arabic (docs/languages.md).
    return LinearTextModel.fit(*training_examples(directory), spellings=False)


def save(model: LinearTextModel, path: Path) -> None:
    np.savez_compressed(path, **model.arrays())


def load(path: Path) -> LinearTextModel | None:
    """The saved language model, or None (with a warning) when there is none or it is unreadable."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            return LinearTextModel.from_arrays({key: saved[key] for key in saved.files})
    except (OSError, ValueError, KeyError) as error:
        logger.warning("no language model (%s): the detector alone decides", type(error).__name__)
        return None


def likeliest(model: LinearTextModel, text: str) -> str:
    """The language whose examples the text most resembles."""
    return str(model.labels[int(np.argmax(model.scores(text)))])
