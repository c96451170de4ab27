from core import languages


def test_explicit_choice_wins_over_everything():
    assert languages.resolve(chosen="en", detected="fr", previous="fr", client="fr") == "en"


def test_detection_wins_over_previous_and_client():
    assert languages.resolve(detected="en", previous="fr", client="fr") == "en"


def test_previous_then_client_then_french():
    assert languages.resolve(previous="en", client="fr") == "en"
    assert languages.resolve(client="en-GB") == "en"
    assert languages.resolve(client="de") == "fr"
    assert languages.resolve() == "fr"


def test_a_hint_decides_only_when_nothing_else_is_known():
    assert languages.resolve(hinted="pt") == "pt"
    assert languages.resolve(client="es", hinted="pt") == "es"
    assert languages.resolve(previous="en", hinted="pt") == "en"
    assert languages.resolve(guessed="ro", hinted="pt") == "ro"


def test_normalise_rejects_unsupported_codes():
    assert languages.normalise("EN_us") == "en"
    assert languages.normalise("pt-BR") == "pt"
    assert languages.normalise("de-DE") is None
    assert languages.normalise("") is None
