"""``requires: attachments: [type, …]``: the project holds a current file of each type
(SPEC §2b)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from workflow.definitions.base import Key
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "attachment_present": "a '{key}' document is attached",
    "attachment_missing": "a '{key}' document is not attached",
}


def check(d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """Each type must be one of the definition's ``attachment_types``."""
    declared = {t.key for t in d.attachment_types}
    for j, key in enumerate(gate.requires.attachments):
        if key not in declared:
            yield (
                f"{where}.attachments[{j}]",
                f"unknown attachment type '{key}' (not in attachment_types)",
            )


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per required attachment type."""
    for key in gate.requires.attachments:
        met = key in facts.attachments
        yield Criterion(
            "attachments", key, met, "attachment_present" if met else "attachment_missing"
        )


KIND = RequirementKind(
    "attachments", tuple[Key, ...], Field(default_factory=tuple), check, evaluate, MESSAGES
)
