import pytest

from bot.pseudonym import Pseudonymiser


def test_pseudonym_is_stable_and_hides_the_raw_id():
    pseudonymiser = Pseudonymiser("k" * 32)
    first = pseudonymiser.of("telegram", 123456789)
    assert first == pseudonymiser.of("telegram", "123456789")
    assert "123456789" not in first
    assert len(first) == 32


def test_pseudonym_depends_on_key_and_channel():
    assert Pseudonymiser("a" * 32).of("telegram", 1) != Pseudonymiser("b" * 32).of("telegram", 1)
    assert Pseudonymiser("a" * 32).of("telegram", 1) != Pseudonymiser("a" * 32).of("console", 1)


def test_short_keys_are_refused():
    with pytest.raises(ValueError):
        Pseudonymiser("short")
