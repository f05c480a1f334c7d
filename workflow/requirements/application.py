"""``requires: application: {status: [submitted, granted, …]}``: the project's current
(newest) funding application is in one of those statuses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from workflow.definitions.base import Frozen
from workflow.errors import MESSAGES as _ALL
from workflow.requirements.base import Criterion, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

MESSAGES = {
    code: _ALL[code]
    for code in ("application_missing", "application_status_is", "application_status_not")
}

Status = Literal["draft", "submitted", "granted", "rejected", "withdrawn"]


class ApplicationNeed(Frozen):
    """The statuses the current application may be in."""

    status: Annotated[tuple[Status, ...], Field(min_length=1)]


def check(_d: Definition, _gate: Gate, _where: str) -> Iterator[tuple[str, str]]:
    """The shape says it all."""
    return iter(())


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """One criterion: the current application's status is one of those asked for."""
    need = gate.requires.application
    if need is None:
        return
    wanted = list(need.status)
    app = facts.application
    if app is None:
        yield Criterion("application", "status", False, "application_missing", {"wanted": wanted})
        return
    met = app.status in need.status
    code = "application_status_is" if met else "application_status_not"
    yield Criterion("application", "status", met, code, {"status": app.status, "wanted": wanted})


KIND = RequirementKind("application", ApplicationNeed | None, None, check, evaluate, MESSAGES)
