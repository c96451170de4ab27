"""Worker checklists: every form, a source and a known family per item, every language."""

from __future__ import annotations

import pytest

from core.i18n import tr
from core.languages import SUPPORTED
from core.legal_references import unsourced
from core.worker import WorkerDataError, load, parse

CONTENT = load()
FORMS = {"general", "sexual", "labour", "domestic", "begging", "criminality", "children"}
PROFILES = {"police", "labour_inspection", "social", "health", "child_protection", "volunteer", "other"}


def test_every_form_and_profile_the_issue_names_exists():
    assert set(CONTENT.forms) == FORMS
    assert set(CONTENT.profiles) == PROFILES
    assert all(len(items) >= 5 for items in CONTENT.forms.values())


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_text_exists_and_fits(language):
    for msgid in CONTENT.msgids():
        text = tr(language, msgid)
        assert text != msgid, f"{msgid} untranslated in {language}"
        assert len(text) <= 700


@pytest.mark.parametrize("language", SUPPORTED)
def test_next_steps_give_the_emergency_number(language):
    for profile in CONTENT.profiles:
        assert "17" in tr(language, f"worker.profile.{profile}.next"), profile


def test_items_without_source_or_with_unknown_family_are_refused():
    with pytest.raises(WorkerDataError, match="x: needs a known family and a source"):
        parse({"families": ["debt"], "forms": {"general": [{"id": "x", "family": "debt", "source": " "}]}})
    with pytest.raises(WorkerDataError, match="x: needs a known family"):
        parse({"families": ["debt"], "forms": {"general": [{"id": "x", "family": "other", "source": "ILO"}]}})


@pytest.mark.parametrize("language", SUPPORTED)
def test_next_steps_and_talk_cards_cite_only_their_sources(language):
    missing = {}
    for profile in CONTENT.profile_details:
        for part in ("next", "talk"):
            text = tr(language, f"worker.profile.{profile.id}.{part}")
            if unsourced(text, profile.sources):
                missing[f"{profile.id}.{part}"] = sorted(unsourced(text, profile.sources))
    assert not missing, f"{language}: add the source or drop the reference: {missing}"


def test_only_the_police_and_gendarmerie_are_said_to_identify_formally():
    """Content review H5, on the French source: labour inspectors detect and record, not identify."""
    inspection = tr("fr", "worker.profile.labour_inspection.next")
    assert "Vous pouvez identifier" not in inspection
    for msgid in [f"worker.profile.{p}.next" for p in CONTENT.profiles] + ["worker.summary.intro"]:
        assert "et l'inspection du travail" not in tr("fr", msgid), msgid


def test_profiles_without_sources_or_review_date_are_refused():
    data = {"families": [], "forms": {}, "profiles": {"police": {"sources": ["A source"]}}}
    with pytest.raises(WorkerDataError, match="profile police: needs sources"):
        parse(data)
