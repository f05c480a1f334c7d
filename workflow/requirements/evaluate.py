"""Evaluate a gate's ``requires`` against a project: pure functions, no I/O.

Each requirement kind of the registry yields a :class:`Criterion` per item, met or not,
with the values the UI needs to explain it.
"""

from __future__ import annotations

from workflow.definitions import Definition, Gate
from workflow.errors import Unmet
from workflow.requirements.base import Criterion, ProjectFacts
from workflow.requirements.registry import KINDS

__all__ = ["Criterion", "ProjectFacts", "evaluate", "unmet"]


def evaluate(definition: Definition, gate: Gate, facts: ProjectFacts) -> list[Criterion]:
    """Every requirement of ``gate`` for a project with ``facts``, met or not, in file order."""
    return [c for kind in KINDS for c in kind.evaluate(definition, gate, facts)]


def unmet(definition: Definition, gate: Gate, facts: ProjectFacts) -> list[Unmet]:
    """The requirements of ``gate`` that a project with ``facts`` does not meet."""
    return [c.as_unmet() for c in evaluate(definition, gate, facts) if not c.met]
