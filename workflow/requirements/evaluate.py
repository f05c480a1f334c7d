"""Evaluate a gate's ``requires`` against a project: pure functions, no I/O.

Each requirement kind of the definition format has one checker here that yields a
:class:`Criterion` per item, met or not, with the values the UI needs to explain it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from workflow.definitions import Comparison, Definition, Gate
from workflow.domain.fields import is_filled
from workflow.errors import Unmet, english, register_messages

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
}


@dataclass(frozen=True)
class ProjectFacts:
    """What a gate's requirements are checked against."""

    fields: Mapping[str, Any]
    checklist_done: frozenset[str]
    partner_types: Mapping[str, int] = field(default_factory=dict)


#: the English of every code a requirement reports (its reason, met or not)
MESSAGES = {
    "field_filled": "field '{key}' filled in",
    "field_ticked": "field '{key}' filled in",
    "field_empty": "field '{key}' must be filled in",
    "field_unticked": "field '{key}' must be ticked",
    "item_done": "checklist item '{key}' is done",
    "item_open": "checklist item '{key}' is not done",
    "partners_enough": "needs {needed} partner(s) of type '{key}', has {present}",
    "partners_missing": "needs {needed} partner(s) of type '{key}', has {present}",
    "compare_unfilled": "field '{missing}' must be filled in",
    "compare_holds": "{field} ({left}) {op} {right} holds",
    "compare_fails": "{field} ({left}) {op} {right} does not hold",
}
register_messages(MESSAGES)


@dataclass(frozen=True)
class Criterion:
    """One requirement of a gate and whether the project meets it.

    Attributes:
        kind: the requirement kind (``field``, ``checklist``, …).
        key: what in the project it is about.
        met: whether the project meets it.
        code: why (met or not), a code with an English template.
        params: values for its wording.
    """

    kind: str
    key: str
    met: bool
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """Why it is met or not, in English."""
        return english(self.code, {"key": self.key, **self.params})

    def as_unmet(self) -> Unmet:
        """This criterion as an :class:`~workflow.errors.Unmet` item."""
        return Unmet(self.kind, self.key, self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON and templates."""
        return {
            "kind": self.kind,
            "key": self.key,
            "met": self.met,
            "reason": self.reason,
            **self.params,
            "code": self.code,
            "params": dict(self.params),
        }


def _fields(d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    for key in gate.requires.fields:
        met = is_filled(d.field(key), facts.fields.get(key))
        if d.field(key).type == "boolean":
            code = "field_ticked" if met else "field_unticked"
        else:
            code = "field_filled" if met else "field_empty"
        yield Criterion("field", key, met, code)


def _checklist(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    for key in gate.requires.checklist:
        met = key in facts.checklist_done
        yield Criterion("checklist", key, met, "item_done" if met else "item_open")


def _partners(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    for org_type, needed in gate.requires.partners.items():
        present = facts.partner_types.get(org_type, 0)
        met = present >= needed
        code = "partners_enough" if met else "partners_missing"
        yield Criterion("partners", org_type, met, code, {"needed": needed, "present": present})


def _operand(d: Definition, key: str, value: Any) -> Any:
    if value is None:
        return None
    return date.fromisoformat(value) if d.field(key).type == "date" else value


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


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _compare(d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    for comparison in gate.requires.compare:
        yield _compare_one(d, comparison, facts.fields)


CHECKERS: tuple[Callable[[Definition, Gate, ProjectFacts], Iterator[Criterion]], ...] = (
    _fields,
    _checklist,
    _partners,
    _compare,
)


def evaluate(definition: Definition, gate: Gate, facts: ProjectFacts) -> list[Criterion]:
    """Every requirement of ``gate`` for a project with ``facts``, met or not, in file order."""
    return [c for checker in CHECKERS for c in checker(definition, gate, facts)]


def unmet(definition: Definition, gate: Gate, facts: ProjectFacts) -> list[Unmet]:
    """The requirements of ``gate`` that a project with ``facts`` does not meet."""
    return [c.as_unmet() for c in evaluate(definition, gate, facts) if not c.met]
