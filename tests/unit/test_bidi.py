"""Arabic screens keep numbers, links and Latin names readable inside right-to-left text."""

from __future__ import annotations

from core.bidi import LRI, PDI, RLM, for_display, rtl_text, strip_marks
from core.common_screens import emergency, menu_buttons
from core.screens import Screen


def test_every_line_is_right_to_left_and_latin_runs_are_isolated():
    text = "اتصل بالرقم 116 006 (مجاني).\nAc.Sé (شبكة وطنية): www.acse-alc.org\n\n17 أو 112"
    shown = rtl_text(text)
    lines = shown.split("\n")
    assert all(line.startswith(RLM) for line in lines if line)
    assert f"{LRI}116 006{PDI}" in shown and f"{LRI}www.acse-alc.org{PDI}" in shown
    assert f"{RLM}{LRI}Ac.Sé{PDI}" in shown, "a line opening with a French name stays right to left"
    assert strip_marks(shown) == text, "only invisible marks are added"


def test_the_real_arabic_emergency_screen_and_buttons():
    screen = for_display(emergency("ar"))
    assert all(f"{LRI}{number}{PDI}" in screen.text for number in ("17", "112", "114", "119"))
    assert all(button.title.startswith(RLM) for button in screen.buttons)
    assert [b.payload for b in screen.buttons] == [b.payload for b in menu_buttons("ar")]


def test_left_to_right_languages_are_untouched():
    screen = Screen("Appelez le 116 006.", "fr")
    assert for_display(screen) is screen
