"""``requires: partner_groups: [{key, types, min, status, label}, …]``: at least ``min``
partners whose organisation type is any of ``types`` — where one kind of stakeholder may be
registered as either of several types, e.g. users as ``civil_society`` or ``citizens``.

``partners:`` counts one type at a time; a group counts its types together, so a definition
can ask for "citizens or user organisations" or for each strand of a quadruple helix.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StrictInt

from workflow.definitions.base import ORGANISATION_TYPES, Frozen, Key, Text
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind
from workflow.requirements.partners import has_come_as_far

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "partner_group_enough": "needs {needed} partner(s) of type {types}, has {present}",
    "partner_group_missing": "needs {needed} partner(s) of type {types}, has {present}",
}


class PartnerGroup(Frozen):
    """Partners of any of some organisation types, counted together."""

    key: Key
    types: Annotated[tuple[Key, ...], Field(min_length=1)]
    min: Annotated[StrictInt, Field(ge=1, le=100)] = 1
    #: how far each counted partner must have come (any status when left out)
    status: Literal["invited", "confirmed", "letter_of_intent"] | None = None
    #: what the group stands for, shown instead of the list of types
    label: Text


def check(_d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """Each type must be an organisation type; each group's key unique in the gate."""
    seen: set[str] = set()
    for j, group in enumerate(gate.requires.partner_groups):
        if group.key in seen:
            yield f"{where}.partner_groups[{j}].key", f"duplicate key '{group.key}'"
        seen.add(group.key)
        for k, org_type in enumerate(group.types):
            if org_type not in ORGANISATION_TYPES:
                yield (
                    f"{where}.partner_groups[{j}].types[{k}]",
                    f"unknown organisation type; use one of {', '.join(ORGANISATION_TYPES)}",
                )


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per group: enough partners of its types that have come far enough."""
    for group in gate.requires.partner_groups:
        present = sum(
            1 for p in facts.partners if p.type in group.types and has_come_as_far(p, group.status)
        )
        met = present >= group.min
        yield Criterion(
            "partner_groups",
            group.key,
            met,
            "partner_group_enough" if met else "partner_group_missing",
            {
                "needed": group.min,
                "present": present,
                "types": list(group.types),
                "status": group.status,
                "label": group.label.model_dump(),
            },
        )


KIND = RequirementKind(
    "partner_groups",
    tuple[PartnerGroup, ...],
    Field(default_factory=tuple),
    check,
    evaluate,
    MESSAGES,
)
