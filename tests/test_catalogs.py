"""Every id used in the code is translated in every supported language, with the same placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.i18n import LOCALES_DIR, tr
from core.languages import SUPPORTED

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def extracted_ids(tmp_path: Path) -> set[str]:
    """Ids the code uses, extracted with the same settings as `make catalogs-update`."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "tr:2",
         "-k", "N_", "--no-default-keywords", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def catalog_entries(language: str) -> dict[str, str]:
    """Translated entries of one catalog; fuzzy or empty ones count as missing."""
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


@pytest.fixture(scope="module")
def used_ids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    ids = extracted_ids(tmp_path_factory.mktemp("pot"))
    assert len(ids) > 20, "extraction found too few ids: is babel.cfg right?"
    return ids


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_used_id_is_translated(language, used_ids):
    missing = used_ids - set(catalog_entries(language))
    assert not missing, f"{language} lacks translations for: {sorted(missing)}"


@pytest.mark.parametrize("language", SUPPORTED)
def test_no_stale_entries(language, used_ids):
    stale = set(catalog_entries(language)) - used_ids
    assert not stale, f"{language} has entries no code uses: {sorted(stale)}"


@pytest.mark.parametrize("language", SUPPORTED)
def test_placeholders_match_english(language):
    reference, entries = catalog_entries("en"), catalog_entries(language)
    for msgid, text in entries.items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(reference[msgid])), msgid


@pytest.mark.parametrize("language", SUPPORTED)
def test_compiled_catalog_matches_sources(language):
    for msgid, text in catalog_entries(language).items():
        assert tr(language, msgid) == text, f"{language}/{msgid}: run `make catalogs`"


@pytest.mark.parametrize("language", SUPPORTED)
def test_texts_fit_a_phone_screen(language):
    too_long = {k: len(v) for k, v in catalog_entries(language).items() if len(v) > 700}
    assert not too_long, f"split these texts (max 700 characters): {too_long}"
