"""The ``partners`` kind: at least n partner organisations of each type."""

from __future__ import annotations

from tests.unit.requirements.kit import definition_with, facts, problems_with
from workflow.requirements import partners


def test_an_unknown_organisation_type_is_a_load_problem():
    assert problems_with({"partners": {"aliens": 1}}) == [
        "kit.yaml: gates[0].requires.partners.aliens: unknown organisation type; "
        "use one of public, research, business, civil_society, citizens"
    ]


def test_a_count_outside_1_to_100_is_refused():
    assert problems_with({"partners": {"research": 0}}) == [
        "kit.yaml: gates[0].requires.partners.research: must be a whole number from 1 to 100"
    ]


def test_the_criterion_counts_needed_and_present_partners():
    d = definition_with({"partners": {"research": 2}})

    (short,) = partners.evaluate(d, d.gates[0], facts(partners={"research": 1}))
    (enough,) = partners.evaluate(d, d.gates[0], facts(partners={"research": 2}))

    assert (short.met, short.code, dict(short.params)) == (
        False,
        "partners_missing",
        {"needed": 2, "present": 1},
    )
    assert short.reason == "needs 2 partner(s) of type 'research', has 1"
    assert (enough.met, enough.code) == (True, "partners_enough")
