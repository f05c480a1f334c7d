"""``compare`` since issue #16: ``value: today``, a ``when`` condition, the built-in count
``stage_round`` and choice fields with ``==``/``!=`` — each met, unmet with its reason, and
refused on load when written wrong."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.unit.requirements.kit import MORE_FIELDS, definition_with, facts, problems_with
from workflow.requirements import compare

DAY = date(2026, 11, 2)


def one(comparison, given, **extra):
    d = definition_with({"compare": [comparison]}, MORE_FIELDS)
    (criterion,) = compare.evaluate(d, d.gates[0], replace(facts(given), today=DAY, **extra))
    return criterion


def test_a_date_against_today_holds_only_while_it_lies_ahead():
    ahead = {"field": "end", "op": ">=", "value": "today"}

    holds = one(ahead, {"end": "2026-11-02"})
    fails = one(ahead, {"end": "2026-11-01"})

    assert (holds.met, holds.code, holds.params["right"], holds.params["today"]) == (
        True,
        "compare_holds",
        "2026-11-02",
        True,
    )
    assert (fails.met, fails.code, fails.key) == (False, "compare_fails", "end >= today")
    assert fails.reason == "end (2026-11-01) >= 2026-11-02 does not hold"


def test_today_takes_an_offset_in_days():
    fortnight = {"field": "end", "op": ">=", "value": "today", "offset": 14}

    assert not one(fortnight, {"end": "2026-11-15"}).met
    assert one(fortnight, {"end": "2026-11-16"}).met


def test_a_condition_that_does_not_hold_makes_the_comparison_not_apply():
    three = {
        "field": "tenderers",
        "op": ">=",
        "value": 3,
        "when": {"field": "capped", "equals": True},
    }

    free = one(three, {"tenderers": 2, "capped": False})
    unset = one(three, {})
    capped_two = one(three, {"tenderers": 2, "capped": True})
    capped_three = one(three, {"tenderers": 3, "capped": True})
    capped_blank = one(three, {"capped": True})

    assert (free.met, free.code) == (True, "compare_not_applicable")
    assert free.reason == "tenderers >= 3.0 does not apply: capped is not True"
    assert (unset.met, unset.code) == (True, "compare_not_applicable")
    assert (capped_two.met, capped_two.code) == (False, "compare_fails")
    assert (capped_three.met, capped_three.code) == (True, "compare_holds")
    assert (capped_blank.met, capped_blank.code) == (False, "compare_unfilled")


def test_a_condition_on_a_choice():
    only_open = {
        "field": "tenderers",
        "op": ">=",
        "value": 1,
        "when": {"field": "procedure", "equals": "open"},
    }

    assert one(only_open, {"procedure": "partnership"}).code == "compare_not_applicable"
    assert one(only_open, {"procedure": "open"}).code == "compare_unfilled"


def test_the_stage_round_counts_against_a_field():
    left = {"field": "stage_round", "op": "<", "other": "phases"}

    first = one(left, {"phases": 2}, stage_round=1)
    last = one(left, {"phases": 2}, stage_round=2)

    assert (first.met, first.params["left"], first.params["right"]) == (True, 1, 2.0)
    assert (last.met, last.code) == (False, "compare_fails")
    assert last.reason == "stage_round (2) < 2.0 does not hold"


def test_a_choice_field_equals_or_differs_from_one_of_its_choices():
    chosen = {"field": "procedure", "op": "==", "value": "partnership"}
    other = {"field": "procedure", "op": "!=", "value": "partnership"}

    assert one(chosen, {"procedure": "partnership"}).met
    assert not one(chosen, {"procedure": "open"}).met
    assert one(other, {"procedure": "open"}).met
    missed = one(other, {"procedure": "partnership"})
    assert (missed.met, missed.code) == (False, "compare_fails")
    assert one(other, {}).code == "compare_unfilled"


@pytest.mark.parametrize(
    ("comparison", "where", "what"),
    [
        (
            {"field": "end", "op": ">", "value": "tomorrow"},
            ".value",
            "'tomorrow' is not a number, a date or 'today'",
        ),
        ({"field": "budget", "op": ">", "value": "today"}, "", "compares a date with a number"),
        (
            {"field": "stage_round", "op": "<", "other": "end"},
            "",
            "compares a date with a number",
        ),
        (
            {"field": "procedure", "op": "<", "value": "open"},
            ".op",
            "choice field 'procedure' compares only with '==' or '!='",
        ),
        (
            {"field": "procedure", "op": "==", "value": "closed"},
            ".value",
            "'closed' is not a choice of field 'procedure'",
        ),
        (
            {"field": "procedure", "op": "==", "other": "need"},
            ".value",
            "give one of the choices of field 'procedure'",
        ),
        (
            {"field": "budget", "op": ">", "value": 1.0, "when": {"field": "x", "equals": True}},
            ".when.field",
            "unknown field 'x'",
        ),
        (
            {
                "field": "budget",
                "op": ">",
                "value": 1.0,
                "when": {"field": "capped", "equals": "yes"},
            },
            ".when.equals",
            "field 'capped' is boolean; 'yes' is not one of its values",
        ),
        (
            {
                "field": "budget",
                "op": ">",
                "value": 1.0,
                "when": {"field": "procedure", "equals": "closed"},
            },
            ".when.equals",
            "'closed' is not a choice of field 'procedure'",
        ),
    ],
)
def test_a_wrong_new_comparison_is_a_load_problem(comparison, where, what):
    assert problems_with({"compare": [comparison]}, MORE_FIELDS) == [
        f"kit.yaml: gates[0].requires.compare[0]{where}: {what}"
    ]


def test_a_count_is_a_reserved_field_key():
    problems = problems_with(
        {}, [{"key": "stage_round", "type": "integer", "label": {"nb": "R", "en": "R"}}]
    )

    assert problems == ["kit.yaml: fields[6].key: 'stage_round' is built in; choose another key"]
