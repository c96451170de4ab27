"""The language model learnt from the training examples, and the detector's use of it."""

from __future__ import annotations

import numpy as np
import pytest

from bot.language_detection import Detection, LanguageDetector
from core import language_model
from core.linear_text_model import LinearTextModel


@pytest.fixture(scope="module")
def learnt() -> LinearTextModel:
    """The model learnt from the project's own training examples (nlu/<lang>/)."""
    return language_model.train()


@pytest.fixture(scope="module")
def detector(learnt) -> LanguageDetector:
    return LanguageDetector(model=learnt)


def test_every_supported_language_is_learnt(learnt):
    texts, languages = language_model.training_examples()
    assert set(languages) == set(learnt.labels) and len(texts) == len(languages) > 5000


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("mne negde nochevat segodnya, pomogite pozhaluysta", "ru"),
        ("meni nema de spaty, dopomozhit bud laska", "uk"),
        ("nyamam kade da spya dovechera, pomognete mi", "bg"),
        ("toi khong co cho ngu dem nay, giup toi voi", "vi"),
        ("lpatron ma khalsnich hadi 3 chhor", "ar"),
        ("o meu patrao nao me paga ha tres meses", "pt"),
    ],
)
def test_languages_typed_without_their_script_or_accents_are_recognised(learnt, text, language):
    assert language_model.likeliest(learnt, text) == language


@pytest.mark.parametrize(
    ("text", "language", "alone"),
    [
        ("o meu patrao nao me paga ha tres meses", "pt", Detection("es", sure=False, weak=True)),
        ("kak poluchit dokumenty vo frantsii", "ru", Detection("ru", sure=False, weak=True)),
    ],
)
def test_when_the_detector_is_unsure_the_learnt_language_is_the_guess(detector, text, language, alone):
    assert detector.detection(text) == Detection(language, sure=False)
    assert LanguageDetector().detection(text) == alone  # alone: a wrong or a weak hint


@pytest.mark.parametrize("text", ["zzkq vrmbl ptx", "hahaha"])
def test_gibberish_gets_no_learnt_guess(detector, learnt, text):
    scores = np.sort(learnt.scores(text))[::-1]
    assert scores[0] - scores[1] < 0.5
    found = detector.detection(text)
    assert found is None or found == LanguageDetector().detection(text)


def test_the_detectors_sure_answers_come_first(detector):
    found = detector.detection("je dors dehors ce soir, je n'ai nulle part où aller")
    assert found == Detection("fr", sure=True)


def test_saved_and_loaded_it_answers_the_same(learnt, tmp_path):
    path = language_model.path_beside(tmp_path / "assistant.tar.gz")
    language_model.save(learnt, path)
    loaded = language_model.load(path)
    assert loaded is not None
    for text in ("mne negde nochevat", "o meu patrao", "je dors dehors"):
        assert np.allclose(loaded.scores(text), learnt.scores(text))


def test_without_a_saved_model_the_detector_decides_alone(tmp_path, caplog):
    assert language_model.load(tmp_path / "languages.npz") is None
    assert "FileNotFoundError" in caplog.text
