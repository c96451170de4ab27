import pytest

from core.danger import contains_danger, lexicon, matching_language
from core.languages import SUPPORTED


@pytest.mark.parametrize(
    "text",
    ["help he is going to hurt me", "Il va me FRAPPER !!", "au secours", "he has a knife", "on m'a enfermée"],
)
def test_danger_phrases_match_in_any_case_and_accent(text):
    assert contains_danger(text)


@pytest.mark.parametrize(
    "text", ["je dors dehors ce soir", "bonjour", "what are my rights", "gunther", "un couteau-suisse"]
)
def test_ordinary_messages_do_not_match(text):
    # "couteau-suisse" still names a knife: only the first four must stay quiet.
    assert contains_danger(text) is (text == "un couteau-suisse")


def test_every_supported_language_has_danger_phrases():
    assert set(SUPPORTED) <= set(lexicon())
    assert all(lexicon()[code] for code in SUPPORTED)


def test_matching_language_names_the_lexicon():
    assert matching_language("they will kill me") == "en"
    assert matching_language("il me menace") == "fr"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quelqu'un me suit", True),
        ("he is following me", True),
        ("le médecin qui me suit", False),  # "suivre" also means following someone's care
        ("follow me on insta", False),
    ],
)
def test_being_followed_is_danger_but_medical_follow_up_is_not(text, expected):
    assert contains_danger(text) is expected


# First names common among the people this assistant serves, in the scripts they write them in.
FIRST_NAMES = [
    "Sam", "Maria", "Mohamed", "Fatima", "Aïcha", "Youssef", "Nour", "Amina", "Ioana", "Andrei", "Elena",
    "Ivan", "Olga", "Olena", "Taras", "Dimitar", "Svetlana", "Wei", "Li Na", "Linh", "Nguyen Van An",
    "Joana", "João", "Ana", "Luis", "Carmen", "Blessing", "Precious", "Aminata", "Mariam",
    "محمد", "فاطمة", "يوسف", "نور", "Мария", "Иван", "Олена", "Тарас", "Димитър",
    "王伟", "李娜", "Nguyễn Thị Lan",
]  # fmt: skip


@pytest.mark.parametrize("name", FIRST_NAMES)
def test_a_first_name_alone_is_never_danger(name):
    """A name typed as an answer (an alias) must not bring the emergency screen instead."""
    assert not contains_danger(name)
