import itertools

import pytest

from bot.language_detection import Detection, LanguageDetector, marked_language, markers


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
    found = detector.detection(text)
    assert found is not None and found.language == expected


@pytest.mark.parametrize("text", ["ok", "/start", '/choose_language{"lang_code":"en"}', "115", ""])
def test_short_or_command_text_is_not_guessed(detector, text):
    assert detector.detect(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nu am unde sa dorm la noapte", "ro"),
        ("我今晚没有地方睡觉", "zh"),
        ("救命", "zh"),
        ("ما عنديش فين ننعس", "ar"),
        ("no tengo donde dormir esta noche", "es"),
        ("nao tenho onde dormir hoje", "pt"),
        ("мне негде спать сегодня", "ru"),
        ("мені нема де спати сьогодні", "uk"),
        ("tôi không có chỗ ngủ đêm nay", "vi"),
        ("toi khong co cho ngu dem nay", "vi"),
        ("wach 3andi l7a9 nkhdem bla lwra9", "ar"),
        ("мне негде спать", "ru"),
        ("нямам къде да спя тази нощ", "bg"),
    ],
)
def test_every_language_is_recognised_in_short_messages(detector, text, expected):
    found = detector.detection(text)
    assert found is not None and found.language == expected


def test_a_guess_sets_a_first_language_but_never_switches_one():
    from core.languages import resolve

    assert resolve(guessed="ro", client="fr") == "ro"
    assert resolve(previous="en", guessed="ro") == "en"
    assert resolve(previous="en", detected="ro") == "ro"
    assert resolve(chosen="fr", detected="ro") == "fr"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mne negde spat segodnya", "ru"),
        ("pozhaluysta pomogite mne", "ru"),
        ("meni nema de spaty sohodni", "uk"),
        ("dyakuyu, meni potribna dopomoha", "uk"),
        ("nyamam kade da spya dnes", "bg"),
        ("shefat vze parite mi, kakvo da pravya", "bg"),
    ],
)
def test_cyrillic_languages_typed_in_latin_letters_are_recognised(detector, text, expected):
    """The statistical detector knows these languages only in Cyrillic: two markers decide."""
    assert detector.detection(text) == Detection(expected, sure=True)


@pytest.mark.parametrize(
    "text", ["salam khoya bghit n3ref kifach ndir lwra9", "3afak 3andi mochkil f lkhedma"]
)
def test_arabic_in_latin_letters_is_answered_in_arabic(detector, text):
    assert detector.detection(text) == Detection("ar", sure=True)


@pytest.mark.parametrize("text", ["wesh wallah c'est trop bien ce soir", "inchallah demain ça ira mieux"])
def test_arabic_words_borrowed_by_french_keep_french(detector, text):
    assert detector.detection(text).language == "fr"


def test_a_word_shared_by_two_marked_languages_is_no_marker():
    for first, second in itertools.combinations(markers().values(), 2):
        assert not first & second
    assert marked_language("rabota dokumenty pasport") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("am primit OQTF si nu stiu ce sa fac cu titre de sejour", "ro"),
        ("sou brasileira e a prefecture pediu o récépissé do meu pedido", "pt"),
        ("how do I get the AME and the carte vitale please", "en"),
    ],
)
def test_french_administrative_words_never_make_a_message_french(detector, text, expected):
    assert detector.detection(text).language == expected


def test_french_administrative_words_alone_decide_nothing(detector):
    assert detector.detection("titre de séjour ? récépissé ?") is None
    assert detector.detection("Je voudrais un titre de séjour, comment faire ?").language == "fr"


def test_without_a_lead_the_first_choice_is_only_a_hint(detector):
    found = detector.detection("mi patron no paga")
    assert found == Detection("es", sure=False, weak=True)
    assert (found.hinted, found.guessed) == ("es", None)
    assert detector.detect("mi patron no paga") is None, "a hint never switches a conversation"


@pytest.mark.parametrize(("text", "expected"), [("ya tut boyus", "ru"), ("zamknuly nas", "uk")])
def test_one_marker_word_of_a_transliterated_language_beats_a_detector_without_lead(detector, text, expected):
    assert detector.detection(text) == Detection(expected, sure=False, weak=True)


def test_arabizi_words_written_with_digits_are_arabic_markers_but_ordinals_are_not():
    assert marked_language("l patron ma 3tanich lflous dyal 3 chhor") == "ar"
    assert marked_language("j'habite au 3eme etage depuis 2h") is None


@pytest.mark.parametrize(
    "text", ["Marseille", "Saint-Denis 93", "Aubervilliers", "Clermont-Ferrand", "Paris 75018"]
)
def test_a_place_name_alone_says_nothing_of_the_language(detector, text):
    """The answer to "where are you?" in a Romanian conversation must not switch it to French."""
    assert detector.detection(text) is None


def test_a_sentence_with_a_place_is_still_detected(detector):
    assert detector.detect("je suis à Marseille depuis deux semaines") == "fr"
    assert detector.detect("sunt în Marseille de două săptămâni și nu am unde să dorm") == "ro"
