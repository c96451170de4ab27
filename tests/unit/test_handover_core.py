"""Handover building blocks: fields per level, what is shared, safe times, hand-off links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from core import safe_times
from core.handoff_link import parse_parameter, start_parameter
from core.handover import ANONYMOUS, CONFIDENTIAL, CONTACT, Draft, required_fields, shared_lines
from core.handover_messages import Kind, group_screen
from core.i18n import tr
from core.languages import SUPPORTED

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


@dataclass(frozen=True)
class Notice:
    """An outbox item as the group renderer reads it."""

    kind: str
    reference: str = "K7P2QX"
    language: str = "ro"
    level: str = CONTACT
    draft: Draft | None = None
    body: dict | None = None
    answer_due_at: datetime | None = datetime(2026, 12, 7, 13, 30, tzinfo=timezone.utc)


PRIVATE = Draft(
    "ccem", CONTACT, "ro", "13", form="domestic", minor=True, needs=("shelter", "papers"), alias="Ioana",
    contact="phone", phone="+33 6 12 34 56 78", code="the blue bicycle", message="he keeps my passport",
)  # fmt: skip


@pytest.mark.parametrize("language", SUPPORTED)
def test_a_group_notice_holds_no_personal_detail_and_links_to_the_inbox(language):
    request = group_screen(
        Notice(Kind.REQUEST, draft=PRIVATE), language, "Bouches-du-Rhône", "https://in.example"
    )
    relay = group_screen(
        Notice(Kind.RELAY, body={"text": "he keeps my passport"}), language, None, "https://in.example"
    )
    for screen in (request, relay):
        assert screen.buttons == ()
        assert "https://in.example/requests/K7P2QX" in screen.text
        for private in ("Ioana", "12 34 56 78", "blue bicycle", "passport"):
            assert private not in screen.text
    assert "13 Bouches-du-Rhône" in request.text and "07/12/2026 14:30" in request.text  # Paris time
    for label in (tr(language, "handover.form.domestic"), tr(language, "handover.need.shelter")):
        assert label not in request.text, "form of exploitation and needs stay in the inbox"
