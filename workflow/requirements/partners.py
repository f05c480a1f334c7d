"""``requires: partners: {type: n, …}``: at least n partner organisations of each type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StrictInt, StrictStr

from workflow.definitions.base import ORGANISATION_TYPES
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "partners_enough": "needs {needed} partner(s) of type '{key}', has {present}",
    "partners_missing": "needs {needed} partner(s) of type '{key}', has {present}",
}


def check(_d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """Each type must be an organisation type."""
    for org_type in gate.requires.partners:
        if org_type not in ORGANISATION_TYPES:
            yield (
                f"{where}.partners.{org_type}",
                f"unknown organisation type; use one of {', '.join(ORGANISATION_TYPES)}",
            )


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per organisation type, with the needed and present counts."""
    for org_type, needed in gate.requires.partners.items():
        present = facts.partner_types.get(org_type, 0)
        met = present >= needed
        code = "partners_enough" if met else "partners_missing"
        yield Criterion("partners", org_type, met, code, {"needed": needed, "present": present})


KIND = RequirementKind(
    "partners",
    dict[StrictStr, Annotated[StrictInt, Field(ge=1, le=100)]],
    Field(default_factory=dict),
    check,
    evaluate,
    MESSAGES,
)
