"""Check the action server's answers with one compiled JSON Schema validator.

Rasa 3.6 (rasa/core/actions/action.py, RemoteAction._validate_action_result) calls
``jsonschema.validate`` on every answer of the action server. That call first checks the
*schema itself* against the JSON Schema meta-schema, every turn: a py-spy profile of Rasa under
load put 16 % of its CPU there (docs/benchmarks.md, "Load"). This module replaces that method
with one that checks the schema once and keeps the validator; answers are validated exactly as
before and a bad answer raises the same ValidationError with Rasa's own hint.

Imported by the channel module (channels/redacting_rest.py), which Rasa loads at start-up.
"""

from typing import Any, Dict, Optional, Text

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_validator: Optional[Any] = None


def action_result_validator() -> Any:
    """The validator for Rasa's action response format, its schema checked once."""
    global _validator
    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)
        _validator = cls(schema)
    return _validator


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = best_match(action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


__all__ = ["ValidationError", "install", "validate_action_result"]
