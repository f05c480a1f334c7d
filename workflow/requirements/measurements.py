"""``requires: measurements: {after_target: true}``: every benefit of the plan has been
measured on or after its target date (a measurement that misses the target carries its
explained deviation, which the engine demands when it is recorded).

A benefit without a target date cannot be measured against it and counts as unmet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from workflow.definitions.base import Frozen
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "measured_after_target": "every benefit measured on or after its target date ({count})",
    "not_measured_after_target": (
        "every benefit measured on or after its target date; {missing} of {count} are not"
    ),
    "no_benefits_to_measure": "the benefit realisation plan has no benefits to measure",
}


class MeasurementsNeed(Frozen):
    """What a gate asks of the measurements."""

    after_target: Literal[True]


def check(_d: Definition, _gate: Gate, _where: str) -> Iterator[tuple[str, str]]:
    """The shape says it all."""
    return iter(())


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """One criterion: each benefit has a measurement on or after its target date."""
    if gate.requires.measurements is None:
        return
    count = len(facts.benefits)
    if count == 0:
        yield Criterion("measurements", "after_target", False, "no_benefits_to_measure", {})
        return
    missing = sum(
        1
        for b in facts.benefits
        if b.target_on is None or b.last_measured_on is None or b.last_measured_on < b.target_on
    )
    met = missing == 0
    code = "measured_after_target" if met else "not_measured_after_target"
    yield Criterion("measurements", "after_target", met, code, {"missing": missing, "count": count})


KIND = RequirementKind("measurements", MeasurementsNeed | None, None, check, evaluate, MESSAGES)
