import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from app import engine_tuning


@pytest.fixture
def patched(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    engine_tuning.apply()
    return RemoteAction("action_x", None)


def test_valid_responses_still_pass(patched):
    assert patched._validate_action_result({"events": [], "responses": [{"custom": {"a": 1}}]})


def test_invalid_responses_still_fail_with_rasas_message(patched):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        patched._validate_action_result({"events": "not a list"})


def test_the_schema_is_compiled_once(patched):
    engine_tuning._response_validator.cache_clear()
    for _ in range(5):
        patched._validate_action_result({"events": []})
    info = engine_tuning._response_validator.cache_info()
    assert (info.misses, info.hits) == (1, 4)
