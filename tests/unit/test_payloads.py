"""Every button payload is built by a named builder that fits Telegram and names what the domain declares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from actions.handover import EDITABLE
from actions.safety import AUTO_ERASE_CHOICES, SAFETY_ANSWERS
from actions.worker import KEEP_PROFILE
from core import handover, payloads, safe_times
from core.directory import ID_PATTERN, load_seed
from core.exploitation import FORMS_AND_OTHER
from core.languages import SUPPORTED
from core.rights import load as load_rights
from core.screening import ANSWERS, VERSIONS
from core.worker import load as load_worker

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "dialogues" / "domain.yml").read_text(encoding="utf-8"))
# The directory accepts ids of up to 20 characters ([a-z0-9_]{2,20}): the worst case, not just today's seed.
LONGEST_ID = "x" * 20
assert ID_PATTERN.match(LONGEST_ID)


def longest(values) -> str:
    return max((str(value) for value in values), key=lambda value: len(value.encode()))


WORKER = load_worker()
ANSWER_VALUES = [
    *FORMS_AND_OTHER,
    *handover.LEVELS,
    *handover.CONTACT_MODES,
    *safe_times.OPTIONS,
    "yes",
    "no",
    "-",
    LONGEST_ID,
    *(a.id for a in load_seed()),
]
# The longest realistic arguments of each builder.
SAMPLES: dict[str, tuple] = {
    "intent_only": (longest(DOMAIN["intents"]),),
    "replay_with_alternatives": (
        longest(DOMAIN["intents"]),
        " ".join(sorted(DOMAIN["intents"], key=len)[-2:]),
    ),
    "choose_language": (longest(SUPPORTED),),
    "set_auto_erase": (max(AUTO_ERASE_CHOICES),),
    "safety_answer": (longest(SAFETY_ANSWERS),),
    "rights_followup": (longest(item.id for item in load_rights().items()),),
    "rights_source": (longest(item.id for item in load_rights().items()),),
    "screening_age": (longest(VERSIONS),),
    "screening_answer": (longest(ANSWERS),),
    "screening_back": (),
    "screening_pause": (),
    "screening_resume": (),
    "screening_stop": (),
    "screening_restart": (),
    "worker_profile": (longest([*WORKER.profiles, KEEP_PROFILE]),),
    "worker_form": (longest(WORKER.forms),),
    "worker_toggle": (longest(item.id for items in WORKER.forms.values() for item in items),),
    "worker_done": (),
    "worker_talk": (),
    "worker_handoff": (longest(SUPPORTED), LONGEST_ID),
    "handover_answer": (longest(ANSWER_VALUES),),
    "handover_skip": (),
    "handover_others": (),
    "handover_need": (longest(handover.NEEDS),),
    "handover_needs_done": (),
    "handover_confirm": (),
    "handover_edit": (),
    "handover_change": (longest(EDITABLE),),
    "handover_cancel": (),
    "handover_status": (),
    "handover_withdraw": (),
    "handover_withdraw_confirm": (),
    "handover_refer": (),
    "handover_via": (LONGEST_ID, longest(SUPPORTED)),
}


def parse(payload: str) -> tuple[str, dict[str, str]]:
    """Intent and entities, as Rasa reads `/intent{"entity": value}`."""
    assert payload.startswith("/")
    intent, brace, rest = payload[1:].partition("{")
    entities = json.loads(brace + rest) if brace else {}
    return intent, {name: str(value) for name, value in entities.items()}


def test_every_builder_has_its_longest_arguments_here():
    assert set(payloads.BUILDERS) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_builder_fits_telegram_and_names_a_declared_intent_and_entities(name):
    built = payloads.BUILDERS[name](*SAMPLES[name])
    if name not in payloads.NOT_ON_BUTTONS:
        assert len(built.encode("utf-8")) <= payloads.CALLBACK_LIMIT, built
    intent, entities = parse(built)
    assert intent in DOMAIN["intents"]
    assert set(entities) <= set(DOMAIN["entities"])
    carried = {intent, *entities.values()}
    assert {str(argument) for argument in SAMPLES[name]} <= carried, "every argument reaches the engine"


@pytest.mark.parametrize("payload", payloads.FIXED)
def test_fixed_payloads_name_declared_intents(payload):
    assert parse(payload) == (payload[1:], {})
    assert payload[1:] in DOMAIN["intents"]


@pytest.mark.parametrize("command", payloads.CHANNEL_COMMANDS)
def test_commands_the_channel_handles_are_no_intents_of_the_engine(command):
    assert command[1:] not in DOMAIN["intents"]


def test_an_oversized_payload_would_be_caught():
    built = payloads.handover_answer("x" * 60)
    assert len(built.encode("utf-8")) > payloads.CALLBACK_LIMIT


def test_a_hand_off_link_asks_for_the_association_and_language_of_its_parameter():
    assert parse(payloads.handover_via("ccem", "ar")) == ("handover_via", {"a": "ccem", "lang_code": "ar"})
    assert parse(payloads.worker_handoff()) == ("worker_handoff", {})
    assert parse(payloads.worker_handoff("ar")) == ("worker_handoff", {"lang_code": "ar"})
