"""``requires: lesson: true``: the project has a lesson learned (SPEC §2b)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "lesson_written": "a lesson learned (written)",
    "lesson_missing": "a lesson learned; the project has none",
}


def check(_d: Definition, _gate: Gate, _where: str) -> Iterator[tuple[str, str]]:
    """A boolean says it all."""
    return iter(())


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """One criterion when the gate asks for a lesson: the project has one."""
    if gate.requires.lesson:
        code = "lesson_written" if facts.has_lesson else "lesson_missing"
        yield Criterion("lesson", "lesson", facts.has_lesson, code, {})


KIND = RequirementKind("lesson", bool, False, check, evaluate, MESSAGES)
