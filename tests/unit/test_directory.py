"""The association directory: seed file, texts, validation and ranking."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from core import directory
from core.danger import normalise
from core.directory import (
    Association,
    DirectoryError,
    association_from_dict,
    association_to_dict,
    load_seed,
    national_fallbacks,
    rank,
)
from core.exploitation import FORMS
from core.i18n import tr
from core.languages import SUPPORTED

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
UNSAFE = yaml.safe_load((DATA_DIR / "unsafe_preview_words.yml").read_text(encoding="utf-8"))
ALARMING = ("trafficking", "prostitution", "exploitation", "victim", "police", "traite", "esclavage")
PREVIEW_CHARS = 40  # what a notification preview shows


@pytest.fixture(scope="module")
def seed() -> tuple[Association, ...]:
    return load_seed()


def ids(associations: list[Association]) -> list[str]:
    return [a.id for a in associations]


def unsafe_words(language: str) -> list[str]:
    return [normalise(word).strip() for word in (*UNSAFE[language], *ALARMING)]


# --- Seed file and texts -----------------------------------------------------------------------


def test_seed_loads_and_is_valid(seed):
    assert len(seed) >= 10
    assert len({a.id for a in seed}) == len(seed)
    assert {"ccem", "amicale_du_nid", "hors_la_rue", "ruelle", "alc_acse", "koutcha"} <= {a.id for a in seed}


def test_every_entry_waits_for_confirmation(seed):
    assert {a.status for a in seed} == {"to_confirm"}
    assert all(a.active and a.source for a in seed)


def test_no_association_without_direct_services(seed):
    assert not [a.id for a in seed if "scelles" in a.id or "Scelles" in a.name]


def test_departements_of_the_fact_sheet(seed):
    by_id = {a.id: a for a in seed}
    assert set(by_id["amicale_du_nid"].departements) == {"75", "93", "69", "13", "31"}
    nid = {"75", "92", "91", "94", "69", "59", "57", "68", "49"}
    assert set(by_id["mouvement_du_nid"].departements) == nid
    assert set(by_id["hors_la_rue"].departements) == {"93", "75"}
    assert by_id["ruelle"].departements == ("33",)
    assert set(by_id["alc_acse"].departements) == {"06", "83"}


def about(association: Association, language: str) -> str:
    text = tr(language, association.about_msgid)
    assert text != association.about_msgid, f"{association.id}: no text in {language}"
    return text


@pytest.mark.parametrize("language", SUPPORTED)
def test_texts_are_short_and_safe_in_a_preview(seed, language):
    words = unsafe_words(language)
    for association in seed:
        text = about(association, language)
        assert 0 < len(text) <= 200, association.id  # one short paragraph on a phone
        preview = normalise(text[:PREVIEW_CHARS])
        assert not [word for word in words if word in preview], association.id


def test_dict_round_trip(seed):
    for association in seed:
        stored = association_to_dict(association)
        assert isinstance(stored["forms"], list)
        assert association_from_dict(stored) == association
    assert association_from_dict({**association_to_dict(seed[0]), "active": False}).active is False


def test_about_msgid(seed):
    assert seed[0].about_msgid == f"association.{seed[0].id}.about"


# --- Validation --------------------------------------------------------------------------------

VALID: dict[str, Any] = {
    "id": "sample",
    "name": "Sample",
    "forms": ["labour"],
    "publics": ["adults"],
    "languages": ["fr"],
    "departements": ["13"],
    "national": False,
    "channels": ["phone"],
    "website": "https://example.org",
    "source": "test",
    "status": "to_confirm",
}


def write_seed(tmp_path: Path, entries: list[dict[str, Any]], reviewed: str = "2026-11-24") -> Path:
    path = tmp_path / "associations.yml"
    path.write_text(yaml.safe_dump({"reviewed": reviewed, "associations": entries}), encoding="utf-8")
    return path


def test_a_valid_temporary_file_loads(tmp_path):
    (association,) = load_seed(write_seed(tmp_path, [VALID]))
    assert association.departements == ("13",) and association.active


@pytest.mark.parametrize(
    ("change", "association_id", "field"),
    [
        ({"forms": ["labour", "fishing"]}, "sample", "forms"),
        ({"forms": []}, "sample", "forms"),
        ({"id": "Sample!"}, "Sample!", "id"),
        ({"id": "x"}, "x", "id"),
        ({"id": "a" * 21}, "a" * 21, "id"),
        ({"departements": ["99"]}, "sample", "departements"),
        ({"departements": ["2C"]}, "sample", "departements"),
        ({"departements": [6]}, "sample", "departements"),  # unquoted 06 in YAML
        ({"departements": []}, "sample", "departements"),  # nowhere, and not national
        ({"name": None}, "sample", "name"),
        ({"name": "  "}, "sample", "name"),
        ({"source": None}, "sample", "source"),
        ({"source": ""}, "sample", "source"),
        ({"status": "approved"}, "sample", "status"),
        ({"channels": ["phone", "pigeon"]}, "sample", "channels"),
        ({"publics": ["children"]}, "sample", "publics"),
        ({"languages": ["French"]}, "sample", "languages"),
        ({"national": "yes"}, "sample", "national"),
        ({"website": "example.org"}, "sample", "website"),
        ({"departments": ["13"]}, "sample", "departments"),  # misspelt field
    ],
)
def test_bad_field_is_named(tmp_path, change, association_id, field):
    entry = {key: value for key, value in {**VALID, **change}.items() if value is not None}
    with pytest.raises(DirectoryError) as caught:
        load_seed(write_seed(tmp_path, [entry]))
    assert caught.value.association_id == association_id
    assert caught.value.field == field
    assert association_id in str(caught.value) and field in str(caught.value)


def test_duplicate_id_is_refused(tmp_path):
    with pytest.raises(DirectoryError) as caught:
        load_seed(write_seed(tmp_path, [VALID, {**VALID, "name": "Other"}]))
    assert (caught.value.association_id, caught.value.field) == ("sample", "id")
    assert "duplicate" in str(caught.value)


def test_bad_review_date_is_refused(tmp_path):
    with pytest.raises(DirectoryError, match="reviewed"):
        load_seed(write_seed(tmp_path, [VALID], reviewed="soon"))


def test_national_association_may_have_no_departement(tmp_path):
    (association,) = load_seed(write_seed(tmp_path, [{**VALID, "departements": [], "national": True}]))
    assert association.national and association.departements == ()


def test_codes_follow_the_pattern_without_the_places_file(monkeypatch, tmp_path):
    assert directory.known_departements(tmp_path / "missing.tsv") is None
    monkeypatch.setattr(directory, "known_departements", lambda: None)
    assert all(directory.is_departement(code) for code in ("01", "13", "2A", "2B", "95", "974"))
    assert not any(directory.is_departement(code) for code in ("00", "96", "977", "2C", "6", 13))


def test_places_file_is_used_when_present(tmp_path):
    places = tmp_path / "departements.tsv"
    places.write_text("code\tname\n13\tBouches-du-Rhône\n2A\tCorse-du-Sud\n", encoding="utf-8")
    assert directory.known_departements(places) == frozenset({"13", "2A"})


# --- Ranking -----------------------------------------------------------------------------------


def test_labour_in_marseille_goes_to_a_labour_association_first(seed):
    ranked = rank(seed, departement="13", form="labour", language="fr", minor=False)
    first = ranked[0]
    assert first.id != "amicale_du_nid"
    assert "labour" in first.forms and (first.national or "13" in first.departements)
    assert ids(ranked).index("ccem") < ids(ranked).index("amicale_du_nid")
    # Amicale du Nid works on another form but can still listen: kept, after those that serve it.
    serves = ["labour" in association.forms for association in ranked]
    assert "amicale_du_nid" in ids(ranked) and serves == sorted(serves, reverse=True)


def test_minor_begging_in_seine_saint_denis_goes_to_hors_la_rue(seed):
    ranked = rank(seed, departement="93", form="begging", language="fr", minor=True)
    assert ranked[0].id == "hors_la_rue"


@pytest.mark.parametrize("form", [*FORMS, None])
def test_gironde_goes_to_ruelle_first(seed, form):
    for language in ("fr", "en"):
        assert rank(seed, departement="33", form=form, language=language, minor=False)[0].id == "ruelle"


@pytest.mark.parametrize("form", [*FORMS, None])
def test_a_minor_never_gets_an_adults_only_association(seed, form):
    places = {code for a in seed for code in a.departements} | {None, "01"}
    for departement in places:
        ranked = rank(seed, departement=departement, form=form, language="fr", minor=True)
        assert ranked, departement
        assert all("minors" in a.publics for a in ranked), departement


def test_an_adult_never_gets_a_minors_only_association(seed):
    ranked = rank(seed, departement="93", form="begging", language="fr", minor=False)
    assert "hors_la_rue" not in ids(ranked) and "koutcha" not in ids(ranked)


def test_inactive_associations_are_never_returned(seed):
    without_ccem = [dataclasses.replace(a, active=a.id != "ccem") for a in seed]
    assert "ccem" not in ids(rank(without_ccem, departement="75", form="labour", language="fr", minor=False))
    assert "ccem" not in ids(national_fallbacks(without_ccem, minor=False))
    asleep = [dataclasses.replace(a, active=False) for a in seed]
    assert rank(asleep, departement="75", form=None, language="fr", minor=False) == []


@pytest.mark.parametrize("departement", [None, "01", "XX", "975"])
@pytest.mark.parametrize("minor", [False, True])
def test_unknown_departement_gives_only_national_associations(seed, departement, minor):
    ranked = rank(seed, departement=departement, form="sexual", language="fr", minor=minor)
    assert ranked and all(a.national for a in ranked)


@pytest.mark.parametrize("minor", [False, True])
def test_national_fallbacks_exist_for_every_public(seed, minor):
    fallbacks = national_fallbacks(seed, minor=minor)
    assert fallbacks
    assert all(a.national and directory.serves_public(a, minor=minor) for a in fallbacks)
    assert fallbacks == rank(seed, departement=None, form=None, language="fr", minor=minor)


def test_local_before_national_then_language_then_id():
    def make(ident: str, **change: Any) -> Association:
        return association_from_dict({**VALID, "id": ident, **change})

    far = make("far", departements=[], national=True)
    near = make("near")
    english = make("english", languages=["fr", "en"])
    other_form = make("other_form", forms=["sexual"])
    candidates = [other_form, far, near, english]
    ranked = rank(candidates, departement="13", form="labour", language="en", minor=False)
    assert ids(ranked) == ["english", "near", "far", "other_form"]


def test_order_is_stable(seed):
    kwargs = {"departement": "75", "form": "sexual", "language": "fr", "minor": False}
    assert rank(seed, **kwargs) == rank(tuple(reversed(seed)), **kwargs)


def test_unknown_form_is_a_caller_error(seed):
    with pytest.raises(ValueError, match="unknown form"):
        rank(seed, departement="75", form="fishing", language="fr", minor=False)
