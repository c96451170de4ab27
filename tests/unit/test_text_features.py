"""What the classifiers see of a text: one folded spelling for what people type several ways."""

from __future__ import annotations

import numpy as np
import pytest

from core.linear_text_model import LinearTextModel
from core.text_features import folded, one_spelling


@pytest.mark.parametrize(
    "cyrillic, latin",
    [
        ("працювати", "pratsiuvaty"),  # Ukrainian's official transliteration: ц ts, ю iu, и y
        ("хочу", "khochu"),
        ("хочу", "hochu"),
        ("я боюсь", "ja bojus"),  # the j of Polish and Czech habits
        ("ещё", "eshche"),
        ("щастя", "schastia"),
    ],
)
def test_cyrillic_and_its_latin_spellings_are_one_text(cyrillic, latin):
    assert folded([cyrillic]) == folded([latin])


def test_vietnamese_i_and_y_are_one_letter():
    assert folded(["quý"]) == folded(["qui"])


def test_other_letters_are_left_as_they_are():
    assert one_spelling("la police nous a pris le passeport") == "la police nous a pris le passeport"


def test_a_model_keeps_the_folding_it_was_trained_with():
    texts, labels = (
        ["ja hochu rabotat", "gde spat segodnia", "i want to work", "where to sleep"],
        list("abab"),
    )
    for spellings in (True, False):
        model = LinearTextModel.fit(texts, labels, spellings=spellings)
        loaded = LinearTextModel.from_arrays(model.arrays())
        assert loaded.spellings is spellings
        assert np.allclose(loaded.scores("ya khochu rabotat"), model.scores("ya khochu rabotat"))


def test_a_model_saved_before_the_spellings_reads_texts_as_it_was_trained():
    arrays = LinearTextModel.fit(["ja hochu", "i want"], ["a", "b"], spellings=False).arrays()
    del arrays["spellings"]
    assert LinearTextModel.from_arrays(arrays).spellings is False
