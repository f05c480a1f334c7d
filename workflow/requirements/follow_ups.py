"""``requires: follow_ups_closed: true``: every condition of a conditional go on the project
is closed (SPEC §2b, §2c); the next gate waits for the last one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import StrictBool

from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "follow_ups_all_closed": "every condition of an earlier go is closed",
    "follow_ups_open": "{count} condition(s) of an earlier go still open",
}


def check(_d: Definition, _gate: Gate, _where: str) -> Iterator[tuple[str, str]]:
    """The shape says it all."""
    return iter(())


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """One criterion when asked for: no follow-up is open."""
    if not gate.requires.follow_ups_closed:
        return
    count = facts.open_follow_ups
    if count:
        yield Criterion(
            "follow_ups_closed", "follow_ups", False, "follow_ups_open", {"count": count}
        )
    else:
        yield Criterion("follow_ups_closed", "follow_ups", True, "follow_ups_all_closed")


KIND = RequirementKind("follow_ups_closed", StrictBool, False, check, evaluate, MESSAGES)
