"""The phone-shaped held-out set: complete in every language, shaped as asked, never trained on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from core.danger import normalise
from core.languages import SUPPORTED
from core.phone_set import load, training_texts

ROOT = Path(__file__).resolve().parents[2]
KINDS = {
    "danger", "need_shelter", "rights_residence", "rights_exit", "rights_complaint", "rights_work",
    "rights_compensation", "rights_health", "rights_minors", "menu_association", "menu_emergency",
    "menu_screening", "menu_professional", "menu_erase", "out_of_scope",
}  # fmt: skip


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_kind_of_request_has_at_least_five_messages(language):
    counts = Counter(message.intent for message in load(language))
    assert set(counts) == KINDS
    assert min(counts.values()) >= 5, counts


@pytest.mark.parametrize("language", SUPPORTED)
def test_at_least_a_third_are_long_situation_descriptions(language):
    messages = load(language)
    assert sum(message.long for message in messages) * 3 >= len(messages)


def test_held_out_messages_stay_out_of_the_training_data():
    """Short everyday phrases written independently can coincide with training examples ("delete
    everything"); a long situation never does, and almost all of each set must stay unseen."""
    trained = training_texts()
    for language in SUPPORTED:
        messages = load(language)
        seen = [message for message in messages if normalise(message.text) in trained]
        assert not [message.intent for message in seen if message.long], f"{language}: leaked into nlu/"
        assert len(seen) <= 0.1 * len(messages), f"{language}: {len(seen)} held-out messages in nlu/"


def test_the_kinds_are_intents_the_assistant_knows():
    domain = yaml.safe_load((ROOT / "dialogues" / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) >= KINDS
