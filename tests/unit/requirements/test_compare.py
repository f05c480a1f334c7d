"""The ``compare`` kind: a field against a value or another field (dates in days)."""

from __future__ import annotations

import pytest

from tests.unit.requirements.kit import definition_with, facts, problems_with
from workflow.requirements import compare

HALF = {"field": "own_share", "op": ">=", "other": "budget", "factor": 0.5}


def one(requires, given):
    d = definition_with(requires)
    (criterion,) = compare.evaluate(d, d.gates[0], given)
    return criterion


@pytest.mark.parametrize(
    ("comparison", "where", "what"),
    [
        ({"field": "budget", "op": ">"}, "", "give exactly one of 'value' and 'other'"),
        ({"field": "cost", "op": ">", "value": 1.0}, ".field", "unknown field 'cost'"),
        (
            {"field": "need", "op": ">", "value": 1.0},
            ".field",
            "field 'need' is text; only numbers, dates and choices compare",
        ),
        ({"field": "start", "op": "<", "other": "budget"}, "", "compares a date with a number"),
    ],
)
def test_a_wrong_comparison_is_a_load_problem(comparison, where, what):
    assert problems_with({"compare": [comparison]}) == [
        f"kit.yaml: gates[0].requires.compare[0]{where}: {what}"
    ]


def test_a_field_against_a_scaled_other_field():
    holds = one({"compare": [HALF]}, facts({"budget": 1000, "own_share": 500}))
    fails = one({"compare": [HALF]}, facts({"budget": 1000, "own_share": 499}))

    assert (holds.met, holds.code, holds.reason) == (
        True,
        "compare_holds",
        "own_share (500) >= 500.0 holds",
    )
    assert (fails.met, fails.code) == (False, "compare_fails")


def test_a_missing_side_is_unmet_naming_the_field():
    criterion = one({"compare": [HALF]}, facts({"own_share": 500}))

    assert (criterion.met, criterion.code, criterion.reason) == (
        False,
        "compare_unfilled",
        "field 'budget' must be filled in",
    )


def test_a_date_offset_counts_days():
    rule = {"field": "end", "op": ">=", "other": "start", "offset": 30}

    early = one({"compare": [rule]}, facts({"start": "2027-01-01", "end": "2027-01-30"}))

    assert (early.met, early.params["right"]) == (False, "2027-01-31")
