"""Performance fixes applied inside the Rasa server process (Rasa 3.6.21 is pinned).

Rasa validates every action-server response with `jsonschema.validate`, which re-checks the
schema itself on each call: two thirds of the server's time per message in our profile. We
compile the same schema once and validate with it, keeping Rasa's behaviour and error message.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def _response_validator() -> Any:
    """A validator for Rasa's action response schema, built and checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's validation of an action response, with the compiled schema."""
    try:
        _response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def apply() -> None:
    """Install the fixes; fail loudly if Rasa no longer has what they replace."""
    if not hasattr(RemoteAction, "_validate_action_result"):
        raise RuntimeError("Rasa changed: review bot/engine_tuning.py")
    RemoteAction._validate_action_result = _validate_action_result
