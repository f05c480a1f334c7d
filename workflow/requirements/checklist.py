"""``requires: checklist: [item, …]``: each item of the gate's stage must be ticked off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from workflow.definitions.base import Key
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "item_done": "checklist item '{key}' is done",
    "item_open": "checklist item '{key}' is not done",
}


def check(d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """Each item must be on the checklist of the stage the gate leaves."""
    try:
        source = d.stage(gate.from_)
    except KeyError:
        return  # an unknown stage is reported on its own
    items = {c.key for c in source.checklist}
    for j, key in enumerate(gate.requires.checklist):
        if key not in items:
            yield (
                f"{where}.checklist[{j}]",
                f"unknown checklist item '{key}' in stage '{gate.from_}'",
            )


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per required checklist item."""
    for key in gate.requires.checklist:
        met = key in facts.checklist_done
        yield Criterion("checklist", key, met, "item_done" if met else "item_open")


KIND = RequirementKind("checklist", tuple[Key, ...], (), check, evaluate, MESSAGES)
