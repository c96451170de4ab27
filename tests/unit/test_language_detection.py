import pytest

from bot.language_detection import LanguageDetector


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je dors dehors ce soir", "fr"),
        ("help he is going to hurt me", "en"),
        ("I have nowhere to sleep tonight", "en"),
        ("est-ce que j'ai des droits sans papiers", "fr"),
    ],
)
def test_clear_sentences_are_detected(detector, text, expected):
    assert detector.detect(text) == expected


@pytest.mark.parametrize("text", ["ok", "/start", '/choose_language{"lang_code":"en"}', "115", ""])
def test_short_or_command_text_is_not_guessed(detector, text):
    assert detector.detect(text) is None
