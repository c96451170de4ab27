"""Every screen a person reads is plain: few words, short sentences, in every language."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from actions.rights import answer_text
from core.i18n import LOCALES_DIR
from core.languages import SUPPORTED
from core.plain_language import is_professional, limits, problems, sentences, units
from core.rights import load

CONTENT = load()


def catalog(language: str) -> dict[str, str]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string}


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_rights_answer_is_plain_as_shown(language):
    """The answer with the offer that closes it: the whole screen the person reads."""
    dense = {}
    for item in CONTENT.items():
        found = problems(answer_text(language, CONTENT, item), language)
        if found:
            dense[item.id] = found
    assert not dense, f"{language}: rewrite these answers more plainly: {dense}"


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_text_is_plain_for_its_reader(language):
    """Person-facing entries within the plain limits; professionals' within theirs."""
    dense = {}
    for msgid, text in catalog(language).items():
        found = problems(text, language, professional=is_professional(msgid))
        if found:
            dense[msgid] = found
    assert not dense, f"{language}: rewrite these texts more plainly: {dense}"


def test_the_measure_catches_a_dense_screen_and_a_long_sentence():
    long_sentence = " ".join(["mot"] * 21) + "."
    assert problems(long_sentence, "fr") == [f"21 units in one sentence (at most 20): {long_sentence[:40]}…"]
    dense = "\n".join(["Une phrase courte de six mots."] * 11)
    assert problems(dense, "fr") == ["66 units on one screen (at most 60)"]
    assert problems("Une phrase. " * 10, "fr") == []


def test_chinese_is_counted_in_characters_and_sentences_end_on_chinese_stops():
    assert units("拨打119，免费。", "zh") == 5  # four characters and one number
    assert sentences("第一句。第二句！第三句？") == ["第一句。", "第二句！", "第三句？"]
    assert units("Appelez le 115.", "fr") == 3
    assert units("Gọi số 115 miễn phí.", "vi") == 5  # Vietnamese counts syllables


def test_other_languages_get_limits_scaled_from_french():
    assert limits("fr").screen == 60 and limits("fr").sentence == 20
    assert limits("zh").screen > 60 > limits("ru").screen
    assert limits("fr", professional=True).screen == 110


def test_placeholders_are_not_counted():
    assert units("Question {number} sur {total}", "fr") == 2
