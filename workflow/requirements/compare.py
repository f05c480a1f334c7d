"""``requires: compare: [{field, op, value | other, factor, offset, when, label}, …]``.

``field op other * factor + offset`` (``offset`` in days for dates), or ``field op value``.
``value: today`` compares a date field with the day the requirement is checked (Europe/Oslo
by default; ``offset`` days added), e.g. a deadline that must still lie ahead at submission.
``field: stage_round`` compares a count the engine keeps instead of a field: the round of the
project's current stage (1 on entering it; each gate from the stage to itself adds one). Such
built-in counts are reserved names that a definition's fields cannot take.
A choice field compares with ``==`` or ``!=`` against one of its choice keys
(``{field: procedure, op: "==", value: innovation_partnership}``).
``when: {field, equals}`` makes the comparison apply only while that field has that value;
otherwise it holds as "does not apply".
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import StrictBool, StrictFloat, StrictStr

from workflow.definitions.base import NUMERIC_TYPES, Frozen, Key, Number, Text
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "compare_unfilled": "field '{missing}' must be filled in",
    "compare_holds": "{field} ({left}) {op} {right} holds",
    "compare_fails": "{field} ({left}) {op} {right} does not hold",
    "compare_not_applicable": "{field} {op} {right} does not apply: {when} is not {equals}",
}

#: ``value: today``: the day the requirement is checked
TODAY = "today"
#: counts the engine keeps, usable as a comparison's ``field`` (reserved as field keys)
COUNTS = ("stage_round",)

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}


class Condition(Frozen):
    """``when: {field, equals}``: the comparison applies only while ``field`` is ``equals``
    (a boolean for a boolean field, a choice key for a choice field, a number or a date)."""

    field: Key
    equals: StrictBool | StrictFloat | date | StrictStr


class Comparison(Frozen):
    """A requirement comparing a field (or a count) with a value or another field.

    ``field op other * factor + offset`` (``offset`` in days for dates), or
    ``field op value``; ``value: today`` is the day of checking.
    """

    field: Key
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    value: StrictFloat | date | StrictStr | None = None
    other: Key | None = None
    factor: Number = 1.0
    offset: Number = 0
    when: Condition | None = None
    label: Text | None = None

    @property
    def key(self) -> str:
        """The criterion's key, e.g. ``tender_deadline > announced_on``."""
        right = self.other if self.other is not None else self.value
        return f"{self.field} {self.op} {right}"


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
        if attr == "field" and key in COUNTS:
            kinds.append("number")
            continue
        if not d.has_field(key):
            yield f"{where}.{attr}", f"unknown field '{key}'"
            continue
        ftype = d.field(key).type
        if ftype == "choice" and attr == "field":
            yield from _choice_problems(d, where, c)
            return
        if ftype not in (*NUMERIC_TYPES, "date"):
            yield (
                f"{where}.{attr}",
                f"field '{key}' is {ftype}; only numbers, dates and choices compare",
            )
        kinds.append("date" if ftype == "date" else "number")
    if isinstance(c.value, str) and c.value != TODAY:
        yield f"{where}.value", f"'{c.value}' is not a number, a date or 'today'"
    elif c.value is not None:
        kinds.append("date" if isinstance(c.value, date) or c.value == TODAY else "number")
    if len(set(kinds)) > 1:
        yield where, "compares a date with a number"
    if c.when is not None:
        yield from _condition_problems(d, f"{where}.when", c.when)


def _choice_problems(d: Definition, where: str, c: Comparison) -> Iterator[tuple[str, str]]:
    spec = d.field(c.field)
    if c.op not in ("==", "!="):
        yield f"{where}.op", f"choice field '{c.field}' compares only with '==' or '!='"
    if c.other is not None or not isinstance(c.value, str):
        yield f"{where}.value", f"give one of the choices of field '{c.field}'"
    elif c.value not in {choice.key for choice in spec.choices or ()}:
        yield f"{where}.value", f"'{c.value}' is not a choice of field '{c.field}'"
    if c.when is not None:
        yield from _condition_problems(d, f"{where}.when", c.when)


def _condition_problems(d: Definition, where: str, w: Condition) -> Iterator[tuple[str, str]]:
    if not d.has_field(w.field):
        yield f"{where}.field", f"unknown field '{w.field}'"
        return
    spec = d.field(w.field)
    wanted = {
        "boolean": (bool,),
        "integer": (float,),
        "money": (float,),
        "date": (date,),
        "choice": (str,),
    }.get(spec.type, (str,))
    value = w.equals
    fits = isinstance(value, wanted) and not (bool not in wanted and isinstance(value, bool))
    if not fits:
        yield (
            f"{where}.equals",
            f"field '{w.field}' is {spec.type}; {value!r} is not one of its values",
        )
    elif spec.type == "choice" and value not in {c.key for c in spec.choices or ()}:
        yield f"{where}.equals", f"'{value}' is not a choice of field '{w.field}'"


def evaluate(d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per comparison, with both sides' values."""
    for comparison in gate.requires.compare:
        yield _compare_one(d, comparison, facts)


def _operand(d: Definition, key: str, value: Any) -> Any:
    if value is None:
        return None
    return date.fromisoformat(value) if d.field(key).type == "date" else value


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _applies(d: Definition, w: Condition | None, values: Mapping[str, Any]) -> bool:
    if w is None:
        return True
    given = values.get(w.field)
    if d.field(w.field).type == "boolean":
        return bool(given) is w.equals
    if isinstance(w.equals, date):
        return given is not None and _operand(d, w.field, given) == w.equals
    return bool(given == w.equals)


def _left(d: Definition, c: Comparison, facts: ProjectFacts) -> Any:
    if c.field == "stage_round":
        return facts.stage_round
    return _operand(d, c.field, facts.fields.get(c.field))


def _right(d: Definition, c: Comparison, facts: ProjectFacts) -> Any:
    if c.other is not None:
        right = _operand(d, c.other, facts.fields.get(c.other))
        if isinstance(right, date):
            return right + timedelta(days=c.offset)
        return None if right is None else right * c.factor + c.offset
    if c.value == TODAY and c.field not in COUNTS and d.field(c.field).type == "date":
        return facts.day + timedelta(days=c.offset)
    return c.value


def _compare_one(d: Definition, c: Comparison, facts: ProjectFacts) -> Criterion:
    left, right = _left(d, c, facts), _right(d, c, facts)
    params: dict[str, Any] = {
        "field": c.field,
        "op": c.op,
        "other": c.other,
        "label": c.label.model_dump() if c.label else None,
        "left": _plain(left),
        "right": _plain(right),
    }
    if c.value == TODAY and right != TODAY:
        params["today"] = True
    if c.when is not None:
        params["when"] = c.when.field
        params["equals"] = _plain(c.when.equals)
        if not _applies(d, c.when, facts.fields):
            return Criterion("compare", c.key, True, "compare_not_applicable", params)
    if left is None or right is None:
        params["missing"] = c.field if left is None else c.other
        return Criterion("compare", c.key, False, "compare_unfilled", params)
    met = _OPS[c.op](left, right)
    return Criterion("compare", c.key, met, "compare_holds" if met else "compare_fails", params)


KIND = RequirementKind("compare", tuple[Comparison, ...], (), check, evaluate, MESSAGES)
