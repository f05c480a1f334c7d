"""The pure rules of benefit realisation and the ``measurements`` requirement kind."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.domain.benefits import (
    as_number,
    baseline_problem,
    benefit_values,
    is_unmeasured_after_target,
    measurement_problems,
    misses_target,
)
from workflow.requirements import measurements
from workflow.requirements.base import BenefitFact, ProjectFacts

UP = {"baseline_value": 10.0, "target_value": 50.0, "target_on": date(2027, 1, 1)}
DOWN = {"baseline_value": 40.0, "target_value": 10.0, "target_on": date(2027, 1, 1)}


@pytest.mark.parametrize(
    ("value", "baseline", "target", "missed"),
    [
        (49, 10, 50, True),
        (50, 10, 50, False),
        (11, 40, 10, True),
        (10, 40, 10, False),
        (9, None, 10, True),
    ],
)
def test_missing_a_target_follows_the_direction_from_baseline_to_target(
    value, baseline, target, missed
):
    assert misses_target(value, baseline, target) is missed


def test_a_miss_on_or_after_the_target_date_needs_a_comment_before_it_does_not():
    _, _, before = measurement_problems(5, "2026-12-31", "", UP)
    assert before == {}
    _, _, on = measurement_problems(5, "2027-01-01", " ", UP)
    assert on["comment"].code == "deviation_needs_comment"
    _, _, explained = measurement_problems(5, "2027-01-01", "Forsinket innføring", UP)
    assert explained == {}
    _, _, reached = measurement_problems(8, "2027-02-01", "", DOWN)
    assert reached == {}


def test_values_must_be_finite_numbers_and_dates_valid():
    assert as_number("12,5") == 12.5
    assert as_number(" 1 000 ") == 1000
    for bad in ("inf", "nan", "tolv", True, None, 1e20):
        assert as_number(bad) is None
    _, _, errors = measurement_problems("x", "2027-02-30", None, UP)
    assert (errors["value"].code, errors["measured_on"].code) == ("not_number", "not_date")


def test_the_baseline_lies_before_the_change():
    assert baseline_problem(date(2026, 1, 1), date(2026, 2, 1)) is None
    assert baseline_problem(date(2026, 2, 1), date(2026, 2, 1)).code == "baseline_not_before_change"
    assert baseline_problem(None, date(2026, 2, 1)) is None


def test_benefit_values_require_the_core_fields_and_reject_unknown_ones():
    _, errors = benefit_values({"colour": "blå"})
    assert set(errors) == {"colour", "description", "type", "chain_link"}
    values, errors = benefit_values({"unit": "timer", "nok_per_year": None}, partial=True)
    assert errors == {}
    assert values == {"unit": "timer", "nok_per_year": None}
    _, errors = benefit_values({"nok_per_year": -1, "baseline": [1]}, partial=True)
    assert set(errors) == {"nok_per_year", "baseline"}


def test_unmeasured_after_target():
    today = date(2026, 11, 2)
    assert is_unmeasured_after_target(date(2026, 10, 1), None, today)
    assert is_unmeasured_after_target(date(2026, 10, 1), date(2026, 9, 30), today)
    assert not is_unmeasured_after_target(date(2026, 10, 1), date(2026, 10, 1), today)
    assert not is_unmeasured_after_target(date(2026, 12, 1), None, today)


class _Gate:
    class requires:
        measurements = measurements.MeasurementsNeed(after_target=True)


def _evaluate(*benefits: BenefitFact):
    facts = ProjectFacts(fields={}, checklist_done=frozenset(), benefits=benefits)
    return [(c.met, c.code, dict(c.params)) for c in measurements.evaluate(None, _Gate, facts)]  # type: ignore[arg-type]


def test_the_measurements_kind_wants_each_benefit_measured_after_its_target():
    measured = BenefitFact(True, True, True, date(2026, 10, 1), date(2026, 10, 3))
    early = BenefitFact(True, True, True, date(2026, 10, 1), date(2026, 9, 3))
    no_target = BenefitFact(True, False, True, None, date(2026, 9, 3))
    assert _evaluate() == [(False, "no_benefits_to_measure", {})]
    assert _evaluate(measured) == [(True, "measured_after_target", {"missing": 0, "count": 1})]
    assert _evaluate(measured, early, no_target)[0][:2] == (False, "not_measured_after_target")
    assert _evaluate(measured, early, no_target)[0][2]["missing"] == 2
