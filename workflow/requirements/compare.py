"""``requires: compare: [{field, op, value | other, factor, offset, label}, …]``.

``field op other * factor + offset`` (``offset`` in days for dates), or ``field op value``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import StrictFloat

from workflow.definitions.base import NUMERIC_TYPES, Frozen, Key, Number, Text
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "compare_unfilled": "field '{missing}' must be filled in",
    "compare_holds": "{field} ({left}) {op} {right} holds",
    "compare_fails": "{field} ({left}) {op} {right} does not hold",
}

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
}


class Comparison(Frozen):
    """A requirement comparing a field with a value or another field.

    ``field op other * factor + offset`` (``offset`` in days for dates), or
    ``field op value``.
    """

    field: Key
    op: Literal["<", "<=", "==", ">=", ">"]
    value: StrictFloat | date | None = None
    other: Key | None = None
    factor: Number = 1.0
    offset: Number = 0
    label: Text | None = None


def check(d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """Each comparison names fields that exist and compares numbers or dates, not both."""
    for j, comparison in enumerate(gate.requires.compare):
        yield from _problems(d, f"{where}.compare[{j}]", comparison)


def _problems(d: Definition, where: str, c: Comparison) -> Iterator[tuple[str, str]]:
    if (c.value is None) == (c.other is None):
        yield where, "give exactly one of 'value' and 'other'"
    kinds = []
    for attr, key in (("field", c.field), ("other", c.other)):
        if key is None:
            continue
        if not d.has_field(key):
            yield f"{where}.{attr}", f"unknown field '{key}'"
            continue
        ftype = d.field(key).type
        if ftype not in (*NUMERIC_TYPES, "date"):
            yield f"{where}.{attr}", f"field '{key}' is {ftype}; only numbers and dates compare"
        kinds.append("date" if ftype == "date" else "number")
    if c.value is not None:
        kinds.append("date" if isinstance(c.value, date) else "number")
    if len(set(kinds)) > 1:
        yield where, "compares a date with a number"


def evaluate(d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per comparison, with both sides' values."""
    for comparison in gate.requires.compare:
        yield _compare_one(d, comparison, facts.fields)


def _operand(d: Definition, key: str, value: Any) -> Any:
    if value is None:
        return None
    return date.fromisoformat(value) if d.field(key).type == "date" else value


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _compare_one(d: Definition, c: Comparison, values: Mapping[str, Any]) -> Criterion:
    key = f"{c.field} {c.op} {c.other if c.other else c.value}"
    left = _operand(d, c.field, values.get(c.field))
    if c.other is not None:
        right = _operand(d, c.other, values.get(c.other))
        if isinstance(right, date):
            right = right + timedelta(days=c.offset)
        elif right is not None:
            right = right * c.factor + c.offset
    else:
        right = c.value
    params: dict[str, Any] = {
        "field": c.field,
        "op": c.op,
        "other": c.other,
        "label": c.label.model_dump() if c.label else None,
        "left": _plain(left),
        "right": _plain(right),
    }
    if left is None or right is None:
        params["missing"] = c.field if left is None else c.other
        return Criterion("compare", key, False, "compare_unfilled", params)
    met = _OPS[c.op](left, right)
    return Criterion("compare", key, met, "compare_holds" if met else "compare_fails", params)


KIND = RequirementKind("compare", tuple[Comparison, ...], (), check, evaluate, MESSAGES)
