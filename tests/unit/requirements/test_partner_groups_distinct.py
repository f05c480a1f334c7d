"""The ``partner_groups`` and ``distinct_fields`` kinds (issue 16): partners of any of some
types counted together, and fields that must hold different values."""

from __future__ import annotations

from tests.unit.requirements.kit import definition_with, facts, problems_with
from workflow.requirements import distinct_fields, partner_groups
from workflow.requirements.base import PartnerFact, ProjectFacts

LABEL = {"nb": "Innbyggere eller brukere", "en": "Citizens or users"}
USERS = {"key": "users", "types": ["citizens", "civil_society"], "label": LABEL}
METHODS = {"nb": "To metoder", "en": "Two methods"}


def test_a_group_of_unknown_types_or_twice_the_same_key_is_a_load_problem():
    assert problems_with({"partner_groups": [USERS, {**USERS, "types": ["aliens"]}]}) == [
        "kit.yaml: gates[0].requires.partner_groups[1].key: duplicate key 'users'",
        "kit.yaml: gates[0].requires.partner_groups[1].types[0]: unknown organisation type; "
        "use one of public, research, business, civil_society, citizens",
    ]


def test_a_group_needs_types_and_a_label():
    problems = problems_with({"partner_groups": [{"key": "users", "types": []}]})

    assert any(".partner_groups[0].types:" in p for p in problems)
    assert any(".partner_groups[0].label: required key is missing" in p for p in problems)


def test_partners_of_any_of_the_types_count_together():
    d = definition_with({"partner_groups": [{**USERS, "min": 2}]})

    (short,) = partner_groups.evaluate(d, d.gates[0], facts(partners={"citizens": 1}))
    (enough,) = partner_groups.evaluate(
        d, d.gates[0], facts(partners={"citizens": 1, "civil_society": 1, "research": 3})
    )

    assert (short.met, short.code, short.params["present"]) == (
        False,
        "partner_group_missing",
        1,
    )
    assert short.reason == "needs 2 partner(s) of type citizens, civil_society, has 1"
    assert (enough.met, enough.code, enough.params["present"]) == (
        True,
        "partner_group_enough",
        2,
    )
    assert enough.params["label"] == LABEL


def test_a_group_with_a_status_counts_only_partners_that_came_that_far():
    d = definition_with({"partner_groups": [{**USERS, "status": "confirmed"}]})
    invited = ProjectFacts({}, frozenset(), (PartnerFact("citizens", "invited"),))
    confirmed = ProjectFacts({}, frozenset(), (PartnerFact("citizens", "confirmed"),))

    assert [c.met for c in partner_groups.evaluate(d, d.gates[0], invited)] == [False]
    assert [c.met for c in partner_groups.evaluate(d, d.gates[0], confirmed)] == [True]


def test_distinct_fields_must_exist_be_of_one_type_and_not_ask_for_more_than_named():
    need = {"key": "m", "fields": ["need", "budget", "nothing"], "min": 4, "label": METHODS}
    assert problems_with({"distinct_fields": [need]}) == [
        "kit.yaml: gates[0].requires.distinct_fields[0].fields[2]: unknown field 'nothing'",
        "kit.yaml: gates[0].requires.distinct_fields[0].fields: fields of one type, "
        "not money, text",
        "kit.yaml: gates[0].requires.distinct_fields[0].min: more than the 3 fields named",
    ]
    flags = {"key": "m", "fields": ["approved", "approved"], "label": METHODS}
    assert problems_with({"distinct_fields": [flags]}) == [
        "kit.yaml: gates[0].requires.distinct_fields[0].fields: "
        "boolean fields have no values to tell apart"
    ]


def test_the_same_value_twice_counts_once():
    d = definition_with(
        {"distinct_fields": [{"key": "dates", "fields": ["start", "end"], "label": METHODS}]}
    )
    gate = d.gates[0]

    (same,) = distinct_fields.evaluate(
        d, gate, facts(fields={"start": "2027-01-01", "end": "2027-01-01"})
    )
    (empty,) = distinct_fields.evaluate(d, gate, facts(fields={"start": "2027-01-01"}))
    (two,) = distinct_fields.evaluate(
        d, gate, facts(fields={"start": "2027-01-01", "end": "2027-02-01"})
    )

    assert (same.met, same.code, same.params["present"]) == (False, "distinct_too_few", 1)
    assert (empty.met, empty.params["present"]) == (False, 1)
    assert (two.met, two.code, two.params["present"]) == (True, "distinct_enough", 2)


def test_text_values_differ_only_by_more_than_case_and_spaces():
    d = definition_with(
        {"distinct_fields": [{"key": "t", "fields": ["need", "need"], "label": METHODS}]}
    )
    # the same field twice: one value, whatever it is
    (one,) = distinct_fields.evaluate(d, d.gates[0], facts(fields={"need": "Intervjuer"}))

    assert (one.met, one.params["present"]) == (False, 1)
    assert distinct_fields._value("  Intervjuer  ") == distinct_fields._value("intervjuer")
