"""``requires: reports: {kind: status, …}``: the project has a report of each kind that has
come at least that far (``final: approved``: an approved final report; ``progress:
delivered``: a progress report delivered or approved).

An unmet need says whether the report is missing or has not come far enough.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from workflow.domain.reports import REPORT_STATUSES, has_come_as_far
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    "report_far_enough": "a {key} report that is {status} (has one that is {furthest})",
    "report_missing": "a {key} report that is {status}; the project has none",
    "report_not_far_enough": "a {key} report that is {status} (the furthest is {furthest})",
}


def check(_d: Definition, _gate: Gate, _where: str) -> Iterator[tuple[str, str]]:
    """The shape says it all: a report kind and how far it must have come."""
    return iter(())


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per report kind: a report of that kind at least that far."""
    for kind, needed in gate.requires.reports.items():
        statuses = [r.status for r in facts.reports if r.kind == kind]
        furthest = max(statuses, key=REPORT_STATUSES.index, default=None)
        params = {"status": needed, "furthest": furthest}
        if furthest is None:
            code = "report_missing"
        elif has_come_as_far(furthest, needed):
            code = "report_far_enough"
        else:
            code = "report_not_far_enough"
        yield Criterion("reports", kind, code == "report_far_enough", code, params)


KIND = RequirementKind(
    "reports",
    dict[Literal["progress", "final"], Literal["delivered", "approved"]],
    Field(default_factory=dict),
    check,
    evaluate,
    MESSAGES,
)
