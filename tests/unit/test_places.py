import subprocess
import sys

import pytest

from core import places
from core.places import departement_name, departements, find_departement


@pytest.fixture(scope="module", autouse=True)
def loaded() -> None:
    """Load the tables and the list of ordinary names once for the module."""
    places.warm_up()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # postcodes
        ("13001", "13"),
        ("mon code postal c'est 93200", "93"),
        ("20000", "2A"),
        ("I live in 20200", "2B"),
        ("97400", "974"),
        ("je suis au 75018", "75"),
        ("75000", "75"),  # not a real postcode: its first digits still tell
        # département numbers with a cue, or alone
        ("dans le 93", "93"),
        ("je viens du 77", "77"),
        ("I'm in the 93", "93"),
        ("département 13", "13"),
        ("département 9", "09"),
        ("le 2A", "2A"),
        ("dans le 9-3", "93"),
        ("93", "93"),
        ("974", "974"),
        # département names
        ("Seine-Saint-Denis", "93"),
        ("je suis en seine saint denis", "93"),
        ("bouches du rhone", "13"),
        ("Nord", "59"),
        ("je viens du Nord", "59"),
        ("im in the nord department", "59"),
        ("je suis en corse du sud", "2A"),
        ("haute corse", "2B"),
        ("J'habite à La Réunion", "974"),
        # big cities, lower-case and capitalised, French and English
        ("je suis à Marseille", "13"),
        ("I live in marseille", "13"),
        ("near Lyon", "69"),
        ("Bordeaux svp", "33"),
        ("paris", "75"),
        ("PARIS", "75"),
        ("je vis à Paris 15e", "75"),
        ("Il m'a pris mon passeport à Lille", "59"),
        ("I was brought to Calais", "62"),
        ("j'ai une lettre de la préfecture de Bobigny", "93"),
        # saint / st, multi-word names, short names
        ("à st denis", "93"),
        ("je suis à Saint-Denis", "93"),
        ("st-etienne", "42"),
        ("ste genevieve des bois", "91"),
        ("aix en provence", "13"),
        ("je suis à Aix", "13"),
        ("le havre", "76"),
        ("j'habite au havre", "76"),
        ("vitry sur seine", "94"),
        ("im a nanny in neuilly", "92"),
        ("ma patronne habite a st maur", "94"),
        # names that are also ordinary words, with enough evidence
        ("je suis à Tours", "37"),
        ("I live in Tours", "37"),
        ("tours", "37"),
        ("Nice", "06"),
        ("je suis a nice", "06"),
        ("je vis a nice avec mon patron", "06"),
        ("le patron est à Sens", "89"),
        ("JE SUIS A TOURS", "37"),
        ("à Orange, dans les champs", "84"),
        ("mon patron habite Orange", "84"),
    ],
)
def test_finds_the_departement(text, expected):
    assert find_departement(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I have no papers",
        "je travaille sans être payé",
        "nice to meet you",
        "Nice to meet you",
        "my boss is nice to me",
        "c'est nice",
        "j'ai 17 ans",
        "I'm 19 years old",
        "my number is 0612345678",
        "mon numéro c'est 06 12 34 56 78",
        "il m'a donné rendez-vous le 15 mars",
        "dans le 15 minutes",
        "je dois 15000 euros",
        "il y a un problème",
        "on m'a viré",
        "je suis au port",
        "I work in a bar",
        "je dors dans la rue",
        "y a plus de place au foyer",
        "ça n'a pas de sens",
        "je me sens mal",
        "Orange gave me a sim card",
        "j'ai un forfait Orange",
        "je m'appelle Marie",
        "my name is Marie",
        "je travaille chez Orange",
        "SOS",
        "sos",
        "many thanks",
        "demain j'ai une réunion",
        "la vitre est cassée",
        "he goes to the station every day",
        "I want to flee",
        "Does someone make you work a lot, for example long days?",
        "I'm at the gare du nord",
        "",
        "   ",
    ],
)
def test_finds_nothing_without_a_place(text):
    assert find_departement(text) is None


@pytest.mark.parametrize("text", ["nice to meet you", "ça n'a pas de sens", "je dors dans la rue"])
def test_a_plain_table_look_up_would_be_fooled(text):
    assert places._find_departement(text, use_spacy=False) is not None


def test_departements_are_the_101_with_official_names():
    codes = departements()
    assert len(codes) == 101
    assert {"01", "2A", "2B", "95", "971", "972", "973", "974", "976"} <= set(codes)
    assert not {"20", "96", "975", "977", "987"} & set(codes)
    assert departement_name("13") == "Bouches-du-Rhône"
    assert departement_name("2A") == "Corse-du-Sud"
    assert departement_name("99") is None
    assert departement_name(None) is None


def test_postcodes_across_two_departements_go_to_the_most_populous_commune():
    # 01590: Dortan (Ain, 2,074 people) and two smaller communes of the Jura.
    assert find_departement("01590") == "01"
    # 42620: Saint-Martin-d'Estréaux (Loire, 845) and Saint-Pierre-Laval (Allier, 373).
    assert find_departement("42620") == "42"


def test_ordinary_words_need_evidence_and_town_names_do_not():
    levels = places._levels()
    for word in ("tours", "nice", "orange", "sens", "nord"):
        assert levels.get((word,)) == places.COMMON, word
    for word in ("marseille", "paris", "bobigny", "pau", "lille"):
        assert (word,) not in levels, word


def test_ordinary_names_file_matches_the_tables():
    lines = places.ORDINARY_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    assert any("fr_core_news_md" in line for line in lines if line.startswith("#"))
    entries = [line for line in lines if not line.startswith("#")]
    assert entries == sorted(entries)
    levels = places._levels()
    assert len(levels) == len(entries)
    assert set(levels.values()) == {places.COMMON, places.STOP}
    assert set(levels) <= set(places.tables().names)  # regenerate the list when the tables change


def test_warm_up_never_loads_spacy():
    code = "import sys, core.places; core.places.warm_up(); print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False"]


def test_importing_the_module_loads_nothing_heavy():
    code = "import sys, core.places; print('spacy' in sys.modules, core.places.tables.cache_info().currsize)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "0"]
