"""``requires: benefits: {min, baseline, target, owner}``: the project's benefit realisation
plan has at least ``min`` benefits and (each flag that is true) every benefit has a
baseline (value and date), a target (value and date) and a benefit owner.

Each part is its own criterion, so an unmet one says what is missing and for how many.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from workflow.definitions.base import Frozen
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "benefits_enough": "at least {min} benefits in the plan (has {count})",
    "benefits_too_few": "at least {min} benefits in the plan; it has {count}",
    "benefits_all_have": "every benefit has its {part}",
    "benefits_some_lack": "every benefit needs its {part}; {missing} of {count} lack it",
}


class BenefitsNeed(Frozen):
    """What a gate asks of the benefit realisation plan."""

    min: Annotated[int, Field(ge=0, le=100)] = 1
    baseline: bool = False
    target: bool = False
    owner: bool = False


def check(_d: Definition, _gate: Gate, _where: str) -> Iterator[tuple[str, str]]:
    """The shape says it all: a count and three flags."""
    return iter(())


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion for the count, and one per flag that is true."""
    need = gate.requires.benefits
    if need is None:
        return
    count = len(facts.benefits)
    enough = count >= need.min
    yield Criterion(
        "benefits",
        "min",
        enough,
        "benefits_enough" if enough else "benefits_too_few",
        {"min": need.min, "count": count},
    )
    parts = (
        ("baseline", need.baseline, "has_baseline"),
        ("target", need.target, "has_target"),
        ("owner", need.owner, "has_owner"),
    )
    for part, asked, attribute in parts:
        if not asked:
            continue
        missing = sum(1 for b in facts.benefits if not getattr(b, attribute))
        met = missing == 0
        yield Criterion(
            "benefits",
            part,
            met,
            "benefits_all_have" if met else "benefits_some_lack",
            {"part": part, "missing": missing, "count": count},
        )


KIND = RequirementKind("benefits", BenefitsNeed | None, None, check, evaluate, MESSAGES)
