"""``requires: distinct_fields: [{key, fields, min, label}, …]``: at least ``min`` of the
named fields are filled in, each with a different value — e.g. "at least two methods" from
three choice fields ``method_1`` … ``method_3``, where choosing one method twice counts once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, StrictInt

from workflow.definitions.base import Frozen, Key, Text
from workflow.domain.fields import is_filled
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "distinct_enough": "needs {needed} different value(s) among {fields}, has {present}",
    "distinct_too_few": "needs {needed} different value(s) among {fields}, has {present}",
}


class DistinctFields(Frozen):
    """Several fields that together must hold at least ``min`` different values."""

    key: Key
    fields: Annotated[tuple[Key, ...], Field(min_length=2)]
    min: Annotated[StrictInt, Field(ge=2, le=100)] = 2
    #: what is asked, e.g. "At least two methods"
    label: Text


def check(d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """The fields exist, are of one type and not boolean; ``min`` is at most their number."""
    seen: set[str] = set()
    for j, need in enumerate(gate.requires.distinct_fields):
        at = f"{where}.distinct_fields[{j}]"
        if need.key in seen:
            yield f"{at}.key", f"duplicate key '{need.key}'"
        seen.add(need.key)
        types = set()
        for k, key in enumerate(need.fields):
            if not d.has_field(key):
                yield f"{at}.fields[{k}]", f"unknown field '{key}'"
            else:
                types.add(d.field(key).type)
        if "boolean" in types:
            yield f"{at}.fields", "boolean fields have no values to tell apart"
        elif len(types) > 1:
            yield f"{at}.fields", f"fields of one type, not {', '.join(sorted(types))}"
        if need.min > len(need.fields):
            yield f"{at}.min", f"more than the {len(need.fields)} fields named"


def _value(value: Any) -> Any:
    return " ".join(value.split()).casefold() if isinstance(value, str) else value


def evaluate(d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per need: how many different values its filled fields hold."""
    for need in gate.requires.distinct_fields:
        values = {
            _value(facts.fields.get(key))
            for key in need.fields
            if is_filled(d.field(key), facts.fields.get(key))
        }
        met = len(values) >= need.min
        yield Criterion(
            "distinct_fields",
            need.key,
            met,
            "distinct_enough" if met else "distinct_too_few",
            {
                "needed": need.min,
                "present": len(values),
                "fields": list(need.fields),
                "label": need.label.model_dump(),
            },
        )


KIND = RequirementKind(
    "distinct_fields",
    tuple[DistinctFields, ...],
    Field(default_factory=tuple),
    check,
    evaluate,
    MESSAGES,
)
