"""Engine errors carry codes and parameters; their English comes from one table."""

from __future__ import annotations

import pytest

from workflow import InvalidInput, PermissionDenied, Problem, Unmet
from workflow.errors import MESSAGES, english, register_messages


def test_an_error_derives_its_english_from_its_code_and_params():
    error = PermissionDenied("not_owner", project=3)

    assert (error.code, error.problem.code) == ("forbidden", "not_owner")
    assert error.problem.params == {"project": 3}
    assert error.message == str(error) == "only the project's owner may change project 3"


def test_invalid_input_names_each_field_with_its_problem():
    too_long = Problem("too_long", {"max": 200})

    error = InvalidInput({"title": too_long, "summary": Problem("required")})

    assert error.fields["title"].as_dict() == {"code": "too_long", "params": {"max": 200}}
    assert error.message == "title: must be at most 200 characters; summary: must not be empty"


def test_a_list_parameter_is_written_comma_separated():
    assert english("not_one_of", {"choices": ["north", "south"]}) == "must be one of north, south"


def test_an_unknown_code_is_refused_at_once():
    with pytest.raises(KeyError, match="no_such_code"):
        Problem("no_such_code")


def test_a_code_cannot_be_registered_twice_with_other_words():
    with pytest.raises(ValueError, match="required"):
        register_messages({"required": "something else"})
    register_messages({"required": MESSAGES["required"]})  # the same words again are fine


def test_an_unmet_requirement_words_its_reason_with_its_key():
    unmet = Unmet("partners", "research", "partners_missing", {"needed": 2, "present": 0})

    assert unmet.reason == "needs 2 partner(s) of type 'research', has 0"
    assert unmet.as_dict()["code"] == "partners_missing"
