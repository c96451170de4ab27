"""What the phone-set evaluations (scripts/phone_pipeline_eval.py, phone_eval.py) count as right."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from actions.conversation import ActionFallback, menu_screen
from core import payloads
from core.phone_set import PhoneMessage
from core.screens import Button, Screen

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def script(name: str) -> ModuleType:
    """One of the evaluation scripts, loaded as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def evaluation() -> ModuleType:
    return script("phone_pipeline_eval")


def off_topic(language: str = "en") -> PhoneMessage:
    return PhoneMessage("who won the match last night", "out_of_scope", language)


def test_off_topic_counts_when_the_person_sees_the_off_topic_screen_under_any_intent_name(evaluation):
    menu = menu_screen("en", ActionFallback.lead_msgid)
    hesitation = Screen(menu.text, "en", menu.buttons, intent="nlu_fallback")
    assert evaluation.reached(off_topic(), [hesitation], erased=0)


def test_off_topic_does_not_count_for_guessed_topics_or_the_bare_menu(evaluation):
    guesses = Screen(
        "Did you mean", "en", (Button("Work", payloads.intent_only("rights_work")),), intent="nlu_fallback"
    )
    bare_menu = menu_screen("en")
    assert not evaluation.reached(off_topic(), [guesses], erased=0)
    assert not evaluation.reached(off_topic(), [bare_menu], erased=0)


def test_a_topic_counts_as_its_answer_or_a_button_to_it(evaluation):
    question = PhoneMessage("my boss does not pay me", "rights_work", "en")
    offered = Screen("Did you mean", "en", (Button("Work", payloads.intent_only("rights_work")),))
    assert evaluation.reached(question, [Screen("answer", "en", intent="rights_work")], erased=0)
    assert evaluation.reached(question, [offered], erased=0)
    assert not evaluation.reached(question, [Screen("answer", "en", intent="rights_health")], erased=0)


def test_the_model_evaluation_counts_a_hesitation_that_leads_to_the_menu_as_off_topic():
    module = script("phone_eval")
    assert module.acted_on("nlu_fallback", "out_of_scope") == "out_of_scope"
    assert module.acted_on("nlu_fallback", "rights_work") == "nlu_fallback"
    assert module.acted_on("rights_work", "rights_work") == "rights_work"
