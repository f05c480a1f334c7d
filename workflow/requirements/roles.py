"""``requires: roles: [role, …]``: each named project role is filled by a user (SPEC §2b)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from workflow.definitions.base import Key
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "role_filled": "the role '{key}' is filled",
    "role_empty": "the role '{key}' is not filled",
}


def check(d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """Each role must be one of the definition's ``project_roles``."""
    declared = {r.key for r in d.project_roles}
    for j, key in enumerate(gate.requires.roles):
        if key not in declared:
            yield f"{where}.roles[{j}]", f"unknown project role '{key}' (not in project_roles)"


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per required role."""
    for key in gate.requires.roles:
        met = key in facts.roles
        yield Criterion("roles", key, met, "role_filled" if met else "role_empty")


KIND = RequirementKind(
    "roles", tuple[Key, ...], Field(default_factory=tuple), check, evaluate, MESSAGES
)
