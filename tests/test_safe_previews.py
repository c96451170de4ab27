"""The first line of every message is safe on a lock screen, in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from core.danger import normalise
from core.i18n import LOCALES_DIR, tr
from core.languages import SUPPORTED

WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "unsafe_preview_words.yml"
UNSAFE = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
# Button labels and source footers never open a message; every other entry can.
LABEL_SUFFIXES = (".title", ".button", ".source")
FRAGMENT_PREFIXES = ("worker.family.",)  # labels used inside summary lines, never first
WEB_PREFIXES = ("inbox.", "webchat.")  # words of web pages: never a message, never on a lock screen
FRAGMENT_SUFFIXES = (".about",)  # what an association does: always after its name, never first


def message_texts(language: str) -> dict[str, str]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {
            m.id: m.string
            for m in read_po(handle)
            if m.id
            and not m.id.endswith(LABEL_SUFFIXES)
            and ".button." not in m.id
            and not m.id.startswith(FRAGMENT_PREFIXES + WEB_PREFIXES)
            and not m.id.endswith(FRAGMENT_SUFFIXES)
        }


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_language_has_a_word_list(language):
    assert len(UNSAFE[language]) >= 5


@pytest.mark.parametrize("language", SUPPORTED)
def test_no_first_line_holds_an_unsafe_word(language):
    words = [normalise(word).strip() for word in UNSAFE[language]]
    unsafe = {}
    for msgid, text in message_texts(language).items():
        first_line = normalise(text.strip().splitlines()[0])
        found = [word for word in words if word in first_line]
        if found:
            unsafe[msgid] = found
    assert not unsafe, f"{language}: first lines reveal too much: {unsafe}"


def test_association_descriptions_never_open_a_message():
    for language in SUPPORTED:
        first_line = tr(language, "handover.ask.association").splitlines()[0]
        assert "{about}" not in first_line and "{name}" not in first_line, language


def test_the_check_catches_an_unsafe_line():
    words = [normalise(word).strip() for word in UNSAFE["fr"]]
    assert any(word in normalise("Votre plainte à la police") for word in words)


def unsafe_in_first_line(text: str, language: str) -> list[str]:
    first_line = normalise(text.strip().splitlines()[0])
    return [word for word in (normalise(w).strip() for w in UNSAFE[language]) if word in first_line]


@pytest.mark.parametrize("language", SUPPORTED)
def test_composed_worker_screens_open_with_a_safe_line(language):
    """A checklist's title ("sexual exploitation") and a profile ("police") never come first."""
    from actions.worker import checklist_screen
    from core.worker import load

    for form in load().forms:
        assert not unsafe_in_first_line(checklist_screen(language, form, []).text, language), form
    for profile in load().profiles:
        title = tr(language, f"worker.profile.{profile}.title")
        lead = tr(language, "worker.profile_named", profile=title)
        assert not unsafe_in_first_line(lead, language), profile
