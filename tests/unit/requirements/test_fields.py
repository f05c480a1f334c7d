"""The ``fields`` kind: each named field must be filled in, a boolean ticked."""

from __future__ import annotations

from tests.unit.requirements.kit import definition_with, facts, problems_with
from workflow.requirements import fields


def verdicts(d, given):
    return [(c.key, c.met, c.code, c.reason) for c in fields.evaluate(d, d.gates[0], given)]


def test_an_unknown_field_is_a_load_problem_naming_where():
    assert problems_with({"fields": ["need", "colour"]}) == [
        "kit.yaml: gates[0].requires.fields[1]: unknown field 'colour'"
    ]


def test_the_yaml_value_must_be_a_list_of_keys():
    assert problems_with({"fields": "need"}) == [
        "kit.yaml: gates[0].requires.fields: input should be a valid tuple"
    ]


def test_a_filled_text_field_is_met_and_an_empty_one_is_not():
    d = definition_with({"fields": ["need"]})

    assert verdicts(d, facts({"need": "Et behov"})) == [
        ("need", True, "field_filled", "field 'need' filled in")
    ]
    assert verdicts(d, facts({"need": ""})) == [
        ("need", False, "field_empty", "field 'need' must be filled in")
    ]


def test_a_boolean_counts_only_when_ticked():
    d = definition_with({"fields": ["approved"]})

    assert verdicts(d, facts({"approved": False})) == [
        ("approved", False, "field_unticked", "field 'approved' must be ticked")
    ]
    assert verdicts(d, facts({"approved": True}))[0][1:3] == (True, "field_ticked")
