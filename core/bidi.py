"""Right-to-left display: Arabic screens with numbers, links and Latin names that stay readable.

Telegram picks a paragraph's direction from its first strong character, so a line that starts
with "116 006" or "Ac.Sé" would be laid out left to right. Each line therefore starts with a
right-to-left mark, and every run of Latin letters and digits is isolated (LRI … PDI) so that
phone numbers, URLs and French names keep their inner order.
"""

from __future__ import annotations

import dataclasses
import re

from core.screens import Screen

RTL_LANGUAGES = frozenset({"ar"})
RLM, LRI, PDI = "\u200f", "\u2066", "\u2069"
MARKS = (RLM, LRI, PDI)
_STRONG_LTR = r"0-9A-Za-z\u00c0-\u024f"
# From a Latin letter or digit to the last one before the next Arabic letter or line end.
_LTR_RUN = re.compile(rf"[{_STRONG_LTR}](?:[^\u0600-\u06ff\n]*[{_STRONG_LTR}])?")


def isolate_ltr(line: str) -> str:
    """One line, right to left, with its Latin and numeric runs isolated."""
    return RLM + _LTR_RUN.sub(lambda found: f"{LRI}{found.group(0)}{PDI}", line)


def rtl_text(text: str) -> str:
    """Every line of a text prepared for right-to-left display."""
    return "\n".join(isolate_ltr(line) if line else line for line in text.split("\n"))


def strip_marks(text: str) -> str:
    """The text without the direction marks (for comparisons and tests)."""
    return "".join(char for char in text if char not in MARKS)


def for_display(screen: Screen) -> Screen:
    """The screen as it should be shown: unchanged, or prepared for right to left."""
    if screen.language not in RTL_LANGUAGES:
        return screen
    buttons = tuple(dataclasses.replace(b, title=rtl_text(b.title)) for b in screen.buttons)
    return dataclasses.replace(screen, text=rtl_text(screen.text), buttons=buttons)
