import pytest

from core.keyed_hash import KeyedHasher
from storage.database import make_engine, migrate
from storage.exit_words import ExitWords

KEY = "k" * 32


@pytest.fixture
def words(tmp_path) -> ExitWords:
    url = f"sqlite:///{tmp_path}/w.db"
    migrate(url)
    return ExitWords(make_engine(url), KeyedHasher(KEY))


def test_a_code_word_matches_only_its_person_and_can_be_changed_or_removed(words, tmp_path):
    words.set("p1", "papaye bleue")
    assert words.matches("p1", "papaye bleue")
    assert not words.matches("p2", "papaye bleue") and not words.matches("p1", "papaye")
    words.set("p1", "citron")
    assert words.matches("p1", "citron") and not words.matches("p1", "papaye bleue")
    words.clear("p1")
    assert not words.matches("p1", "citron")


def test_the_word_is_never_stored_in_clear(words, tmp_path):
    words.set("p1", "papayebleue")
    assert b"papayebleue" not in (tmp_path / "w.db").read_bytes()
