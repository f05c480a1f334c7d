"""``requires: fields: [key, …]``: each field must be filled in (a boolean ticked)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from workflow.definitions.base import Key
from workflow.domain.fields import is_filled
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "field_filled": "field '{key}' filled in",
    "field_ticked": "field '{key}' filled in",
    "field_empty": "field '{key}' must be filled in",
    "field_unticked": "field '{key}' must be ticked",
}


def check(d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """Each named field must exist."""
    for j, key in enumerate(gate.requires.fields):
        if not d.has_field(key):
            yield f"{where}.fields[{j}]", f"unknown field '{key}'"


def evaluate(d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per required field."""
    for key in gate.requires.fields:
        met = is_filled(d.field(key), facts.fields.get(key))
        if d.field(key).type == "boolean":
            code = "field_ticked" if met else "field_unticked"
        else:
            code = "field_filled" if met else "field_empty"
        yield Criterion("field", key, met, code)


KIND = RequirementKind("fields", tuple[Key, ...], (), check, evaluate, MESSAGES)
