"""Handover building blocks: fields per level, what is shared, safe times, hand-off links."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core import safe_times
from core.handoff_link import parse_parameter, start_parameter
from core.handover import ANONYMOUS, CONFIDENTIAL, CONTACT, Draft, required_fields, shared_lines
from core.handover_messages import parse_group_button

PARIS_WINTER = timezone.utc  # in November, Paris is UTC+1


def at(hour: int, minute: int = 0) -> datetime:
    """A UTC instant given as Paris local time in November."""
    return datetime(2026, 11, 24, hour - 1, minute, tzinfo=timezone.utc)


def test_each_level_asks_only_its_fields():
    assert required_fields(ANONYMOUS, None)[-1:] == ["needs"]
    assert "phone" not in required_fields(CONTACT, "chat")
    assert "phone" in required_fields(CONTACT, "phone")
    assert "contact" not in required_fields(CONFIDENTIAL, None) and "alias" in required_fields(
        CONFIDENTIAL, None
    )


def test_anonymous_shares_no_personal_field_even_if_given():
    draft = Draft("x", ANONYMOUS, "en", "13", alias="Sam", phone="+33 6", code="bird", message="hello")
    assert draft.personal() == {}
    text = "\n".join(shared_lines("en", draft, "Bouches-du-Rhône"))
    assert not [secret for secret in ("Sam", "+33 6", "bird", "hello") if secret in text]
    assert "13 Bouches-du-Rhône" in text


def test_confidential_shares_no_phone():
    draft = Draft("x", CONFIDENTIAL, "fr", contact="phone", phone="+33 6 00", alias="Sam")
    assert "phone" not in draft.personal() and "contact" not in draft.personal()


@pytest.mark.parametrize(
    ("option", "now", "allowed"),
    [("any", at(3), True), ("morning", at(10), True), ("morning", at(13), False),
     ("afternoon", at(14), True), ("evening", at(21), False), ("first", at(10), False)],
)  # fmt: skip
def test_safe_windows_are_french_local_time(option, now, allowed):
    assert safe_times.is_allowed(option, now) is allowed


def test_next_allowed_is_the_next_window_start():
    assert safe_times.next_allowed("morning", at(13)) == at(9).replace(day=25)
    assert safe_times.next_allowed("evening", at(15)) == at(18)
    assert safe_times.next_allowed("first", at(15)) is None


def test_hand_off_links_carry_no_personal_data():
    assert start_parameter("en", "ccem") == "h-en-ccem"
    assert parse_parameter("h-en-ccem") == ("en", "ccem")
    for bad in ("", "h-xx-ccem", "h-en-CCEM;drop", "0612345678", "hello h-en-ccem"):
        assert parse_parameter(bad) is None
    with pytest.raises(ValueError):
        start_parameter("en", "Bad Id")


def test_group_buttons_parse_strictly():
    assert parse_group_button("hq:a:ABC123") == ("a", "ABC123")
    assert parse_group_button("hq:x:ABC123") is None and parse_group_button("/menu") is None
