"""Train the Rasa model only when its inputs changed (fingerprint of the training files)."""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
from pathlib import Path

from app.config import REPO_ROOT
from core import language_model, sentence_vectors

logger = logging.getLogger(__name__)

# What the trained model is made of. The custom components are loaded by name at start; the intent
# and danger classifiers hold trained state, so their code and the danger data count too, and so
# does the language model built beside it (core.language_model).
TRAINING_INPUTS = (
    "config.yml",
    "nlu",
    "dialogues",
    "rasa_components/danger_model.py",
    "rasa_components/intent_model.py",
    "core/text_features.py",
    "core/linear_text_model.py",
    "core/language_model.py",
    "core/sentence_vectors.py",
    "requirements/lock.txt",  # the meaning vectors' engine and weights come with a pinned package
    "data/danger_words.yml",
    "data/danger_examples",
)


def training_files(root: Path = REPO_ROOT) -> list[Path]:
    """Every file that shapes the model, in a stable order."""
    files: list[Path] = []
    for entry in TRAINING_INPUTS:
        path = root / entry
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts))
        elif path.is_file():
            files.append(path)
    return files


def fingerprint(root: Path = REPO_ROOT) -> str:
    """A hash of the names and contents of the training inputs."""
    digest = hashlib.sha256()
    for path in training_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint_file(model_path: Path) -> Path:
    """Where the fingerprint of a model's training inputs is kept, beside the model."""
    return model_path.parent / (model_path.name.split(".")[0] + ".fingerprint")


def model_is_current(model_path: Path) -> bool:
    """True when the model and its language model exist and were trained from the current inputs."""
    stamp = _fingerprint_file(model_path)
    built = model_path.is_file() and language_model.path_beside(model_path).is_file()
    return built and stamp.is_file() and stamp.read_text().strip() == fingerprint()


def training_environment() -> dict[str, str]:
    """The training subprocess's environment: no Rasa telemetry, no progress bars off a terminal, and
    every core for the meaning vectors of the examples (a server uses one)."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    env.setdefault(sentence_vectors.THREADS_SETTING, str(os.cpu_count() or 1))
    if not sys.stderr.isatty():
        env["TQDM_DISABLE"] = "1"
    return env


def ensure_model(model_path: Path, force: bool = False) -> None:
    """Train into `model_path` when missing or outdated; raise if training fails."""
    if not force and model_is_current(model_path):
        logger.info("model is up to date")
        return
    logger.info("training the model (the training data changed)")
    model_path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "dialogues/domain.yml",
        "--data", "nlu", "dialogues",
        "--out", str(model_path.parent), "--fixed-model-name", model_path.name.removesuffix(".tar.gz"),
    ]  # fmt: skip
    expected = fingerprint()
    subprocess.run(command, cwd=REPO_ROOT, check=True, stdout=sys.stderr, env=training_environment())
    language_model.save(language_model.train(), language_model.path_beside(model_path))
    _fingerprint_file(model_path).write_text(expected + "\n")
