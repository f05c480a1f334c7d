"""Benefit realisation (gevinstrealisering): the rules of a benefit and its measurements.

Pure rules, no I/O (SPEC §2c; DOMAIN §6, §8): a benefit's baseline is measured before the
change it measures (``change_on``); measurements are a series, never overwritten; a
measurement on or after the target date that misses the target needs a comment (the
explained deviation). Whether a value "misses" depends on the direction from baseline to
target: a target above the baseline is missed by a value below it, a target below the
baseline (fewer hours, lower cost) by a value above it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from workflow.domain.values import as_day, line_problem
from workflow.errors import Problem

#: a benefit's types: efficiency (valued in NOK), quality, benefits for other actors
BENEFIT_TYPES = ("efficiency", "quality", "other_actors")
#: the links of the results chain: inputs → activities → outputs → user effects → societal
CHAIN_LINKS = ("input", "activity", "output", "user_effect", "societal_effect")
MAX_TEXT = 5_000
MAX_INDICATOR = 300
MAX_UNIT = 50
#: values beyond this are typing mistakes, not measurements
MAX_VALUE = 1e15
#: the fields of a benefit a caller may give (``baseline``/``target`` as {value, on})
BENEFIT_FIELDS = (
    "description",
    "type",
    "chain_link",
    "indicator",
    "unit",
    "change_on",
    "baseline",
    "target",
    "owner_id",
    "preconditions",
    "nok_per_year",
)


def as_number(value: Any) -> float | None:
    """A finite number (int, float or a decimal text, comma allowed), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            number = float(value.strip().replace(" ", "").replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(number) or abs(number) > MAX_VALUE:
        return None
    return number


def baseline_problem(baseline_on: date | None, change_on: date | None) -> Problem | None:
    """The baseline must be measured before the change takes effect."""
    if baseline_on is not None and change_on is not None and baseline_on >= change_on:
        return Problem("baseline_not_before_change", {"change_on": change_on.isoformat()})
    return None


def misses_target(value: float, baseline: float | None, target: float) -> bool:
    """Whether ``value`` misses ``target``: below it when the target lies above the baseline
    (or there is no baseline), above it when the target lies below the baseline."""
    if baseline is not None and target < baseline:
        return value > target
    return value < target


def needs_comment(value: float, measured_on: date, benefit: Mapping[str, Any]) -> bool:
    """Whether a measurement must explain itself: taken on or after the target date and
    missing the target."""
    target, target_on = benefit.get("target_value"), benefit.get("target_on")
    if target is None or target_on is None or measured_on < target_on:
        return False
    return misses_target(value, benefit.get("baseline_value"), target)


def _point(raw: Any, key: str, errors: dict[str, Problem], values: dict[str, Any]) -> None:
    """A baseline or target given as ``{"value", "on"}`` (or None to clear it)."""
    if raw is None:
        values[f"{key}_value"] = values[f"{key}_on"] = None
        return
    if not isinstance(raw, Mapping) or set(raw) - {"value", "on"}:
        errors[key] = Problem("not_benefit_point")
        return
    value, on = raw.get("value"), raw.get("on")
    number = None if value in (None, "") else as_number(value)
    day = None if on in (None, "") else as_day(on)
    if value not in (None, "") and number is None:
        errors[f"{key}.value"] = Problem("not_number")
    if on not in (None, "") and day is None:
        errors[f"{key}.on"] = Problem("not_date")
    values[f"{key}_value"], values[f"{key}_on"] = number, day


def benefit_values(
    given: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], dict[str, Problem]]:
    """Check a benefit's fields and turn them into column values.

    Returns the columns and, per field, what is wrong. With ``partial`` (an edit) only the
    given fields are checked and returned, and none is required.
    """
    errors: dict[str, Problem] = {}
    values: dict[str, Any] = {}
    for key in given:
        if key not in BENEFIT_FIELDS:
            errors[key] = Problem("unknown_benefit_field")
    if not partial or "description" in given:
        problem = _text_problem(given.get("description"), MAX_TEXT, required=True)
        if problem:
            errors["description"] = problem
        else:
            values["description"] = given["description"].strip()
    for key, choices in (("type", BENEFIT_TYPES), ("chain_link", CHAIN_LINKS)):
        if not partial or key in given:
            if given.get(key) not in choices:
                errors[key] = Problem("not_one_of", {"choices": list(choices)})
            else:
                values[key] = given[key]
    for key, most in (("indicator", MAX_INDICATOR), ("unit", MAX_UNIT)):
        if key in given:
            raw = "" if given[key] is None else given[key]
            problem = line_problem(raw, most, required=False)
            if problem:
                errors[key] = problem
            else:
                values[key] = raw.strip()
    if "preconditions" in given:
        raw = "" if given["preconditions"] is None else given["preconditions"]
        problem = _text_problem(raw, MAX_TEXT, required=False)
        if problem:
            errors["preconditions"] = problem
        else:
            values["preconditions"] = raw.strip()
    if "change_on" in given:
        raw = given["change_on"]
        day = None if raw in (None, "") else as_day(raw)
        if raw not in (None, "") and day is None:
            errors["change_on"] = Problem("not_date")
        values["change_on"] = day
    for key in ("baseline", "target"):
        if key in given:
            _point(given[key], key, errors, values)
    if "nok_per_year" in given:
        raw = given["nok_per_year"]
        if raw in (None, ""):
            values["nok_per_year"] = None
        elif isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            errors["nok_per_year"] = Problem("not_amount")
        else:
            values["nok_per_year"] = raw
    if "owner_id" in given:
        raw = given["owner_id"]
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int)):
            errors["owner_id"] = Problem("not_whole_number")
        else:
            values["owner_id"] = raw
    return values, errors


def _text_problem(value: Any, most: int, *, required: bool) -> Problem | None:
    if not isinstance(value, str):
        return Problem("required" if required and value is None else "not_text")
    if required and not value.strip():
        return Problem("required")
    if len(value) > most:
        return Problem("text_too_long", {"max": most})
    return None


def measurement_problems(
    value: Any, measured_on: Any, comment: Any, benefit: Mapping[str, Any]
) -> tuple[float | None, date | None, dict[str, Problem]]:
    """Check a measurement of ``benefit``: a number, a valid date, a comment of bounded
    length — required when the measurement misses its target on or after the target date."""
    errors: dict[str, Problem] = {}
    number = as_number(value)
    if number is None:
        errors["value"] = Problem("required" if value in (None, "") else "not_number")
    day = as_day(measured_on)
    if day is None:
        errors["measured_on"] = Problem("required" if measured_on in (None, "") else "not_date")
    text = comment if comment is not None else ""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        errors["comment"] = Problem("text_too_long", {"max": MAX_TEXT})
    elif (
        number is not None
        and day is not None
        and not text.strip()
        and needs_comment(number, day, benefit)
    ):
        errors["comment"] = Problem(
            "deviation_needs_comment",
            {"target": _plain(benefit["target_value"]), "target_on": str(benefit["target_on"])},
        )
    return number, day, errors


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def is_unmeasured_after_target(
    target_on: date | None, last_measured_on: date | None, today: date
) -> bool:
    """Whether a benefit's target date has passed without a measurement on or after it."""
    if target_on is None or target_on >= today:
        return False
    return last_measured_on is None or last_measured_on < target_on
