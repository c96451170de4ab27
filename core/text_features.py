"""Hashed features of a message's folded text, shared by the intent and danger classifiers.

Folding (lower case, no accents, no punctuation: core.danger.normalise) makes "titre de séjour"
and "titre de sejour", or Vietnamese with and without tone marks, the same text. Character n-grams
within words carry typos, inflections and scripts without spaces; words and word pairs carry
phrases ("send someone"). Hashing leaves no vocabulary to store.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.pipeline import FeatureUnion

from core import sentence_vectors
from core.danger import normalise

FEATURES_PER_KIND = 2**18
HASHED_COLUMNS = 2 * FEATURES_PER_KIND  # characters, then words (vectoriser)
# With a sentence weight, the meaning vector's columns follow the hashed ones.
ALL_COLUMNS = HASHED_COLUMNS + sentence_vectors.DIMENSION
HASHING: dict[str, Any] = {"n_features": FEATURES_PER_KIND, "alternate_sign": False, "norm": "l2"}


# Chinese is written without spaces: each of its characters counts as a word, so that word pairs
# are its character pairs (a whole clause as one "word" would be a token no example shares).
_CHINESE = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CHINESE}]|[^\s{_CHINESE}]{{2,}}")


def words(text: str) -> list[str]:
    """The words of a folded text: runs of two letters or more, and each Chinese character."""
    return _WORD.findall(text)


def vectoriser(longest_characters: int = 5, chinese_words: bool = True) -> FeatureUnion:
    """Character n-grams (2 to `longest_characters`) within words, plus words and word pairs (with
    `chinese_words`, each Chinese character is a word; else runs of letters as sklearn splits them)."""
    splitting: dict[str, Any] = {"tokenizer": words, "token_pattern": None} if chinese_words else {}
    characters = HashingVectorizer(analyzer="char_wb", ngram_range=(2, longest_characters), **HASHING)
    word_pairs = HashingVectorizer(analyzer="word", ngram_range=(1, 2), **splitting, **HASHING)
    return FeatureUnion([("characters", characters), ("words", word_pairs)])


def features(
    texts: list[str],
    longest_characters: int,
    spellings: bool = True,
    sentence_weight: float = 0.0,
    meanings: np.ndarray | None = None,
) -> sp.csr_matrix:
    """The rows a linear model reads: hashed n-grams of the folded texts and, with a sentence weight,
    each text's meaning vector (`meanings` when already read, else from core.sentence_vectors, from
    the text as written) times that weight."""
    hashed = vectoriser(longest_characters).transform(folded(texts, spellings))
    if sentence_weight <= 0:
        return sp.csr_matrix(hashed)
    read = sentence_vectors.vectors(texts) if meanings is None else meanings
    meaning = sp.csr_matrix(np.asarray(read, dtype=np.float64) * sentence_weight)
    return sp.csr_matrix(sp.hstack([hashed, meaning]))


# Russian, Ukrainian and Bulgarian are typed in Cyrillic and in Latin letters: spelling Cyrillic the
# way people type it in Latin letters lets both kinds of examples teach the same features.
_CYRILLIC_IN_LATIN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "є": "ye",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "і": "i",
        "ї": "yi",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ъ": "a",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)


# People spell Cyrillic in Latin letters by several schemes (х: kh, h or x; я: ya, ja or ia; ц: ts, c
# or tz; и: i or y, Ukrainian's official y), and Vietnamese writes i and y for one sound: each set
# of spellings becomes one, in every language alike.
_SPELLINGS = (
    (re.compile("shch|sch"), "sh"),
    (re.compile("kh"), "h"),
    (re.compile("tz|ts"), "c"),
    (re.compile("[yj]"), "i"),
)


def one_spelling(text: str) -> str:
    """The text with each set of interchangeable Latin spellings written one way."""
    for spellings, spelling in _SPELLINGS:
        text = spellings.sub(spelling, text)
    return text


def folded(texts: list[str], spellings: bool = True) -> list[str]:
    """The texts as the classifiers see them: folded, Cyrillic spelt in Latin letters and, with
    `spellings`, one spelling for sounds written several ways."""
    latin = [normalise(text).translate(_CYRILLIC_IN_LATIN) for text in texts]
    return [one_spelling(text) for text in latin] if spellings else latin
