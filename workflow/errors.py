"""Errors the engine raises; the web layer maps each to a page, a flash or an HTTP status.

The tree::

    WorkflowError
    ├── DefinitionError          a definition file is invalid (FILE: WHERE: WHAT lines)
    ├── DefinitionConflict       a changed file kept a version that projects already use
    ├── NotFound                 no such project, user, organisation, gate or item
    ├── PermissionDenied         the actor may not do this
    ├── InvalidInput             a value is wrong; ``fields`` maps each field to what is wrong
    ├── TransitionNotAllowed     the project's status or stage does not allow the operation
    ├── GateNotSatisfied         a gate's requirements are unmet; ``unmet`` lists them
    ├── StaleVersion             the caller's expected version is not the current one (412)
    └── ConcurrentUpdate         someone else changed or decided it first (409)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class WorkflowError(Exception):
    """Base class of every error the engine raises on purpose.

    Attributes:
        code: a stable machine-readable code, used in the API's error body.
    """

    code = "workflow_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DefinitionError(WorkflowError):
    """One or more definition files are invalid.

    Attributes:
        problems: each problem as a ``FILE: WHERE: WHAT`` line.
    """

    code = "invalid_definition"

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


class DefinitionConflict(WorkflowError):
    """A definition file changed without a version bump while projects use that version."""

    code = "definition_conflict"


class NotFound(WorkflowError):
    """The project, user, organisation, gate or item does not exist."""

    code = "not_found"


class PermissionDenied(WorkflowError):
    """The actor's role or relation to the project does not allow the operation."""

    code = "forbidden"


class InvalidInput(WorkflowError):
    """Input values are wrong.

    Attributes:
        fields: field name → what is wrong with it.
    """

    code = "invalid_input"

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        self.fields = dict(fields)
        text = message or "; ".join(f"{k}: {v}" for k, v in self.fields.items())
        super().__init__(text)


class TransitionNotAllowed(WorkflowError):
    """The operation is not allowed in the project's current status or stage."""

    code = "not_allowed"


@dataclass(frozen=True)
class Unmet:
    """One requirement of a gate that a project does not meet yet.

    Attributes:
        kind: ``field``, ``checklist``, ``partners`` or ``compare``.
        key: the field, checklist item, organisation type or comparison.
        reason: what is missing, in English, for logs; the UI words it from kind and key.
        params: values for the UI's wording (e.g. needed and present partner counts).
    """

    kind: str
    key: str
    reason: str
    params: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """Return the requirement as plain data for JSON."""
        return {"kind": self.kind, "key": self.key, "reason": self.reason, **self.params}


class GateNotSatisfied(WorkflowError):
    """A submission was refused because the gate's requirements are not all met.

    Attributes:
        gate: the gate's key.
        unmet: every unmet requirement, as data.
    """

    code = "requirements_unmet"

    def __init__(self, gate: str, unmet: Sequence[Unmet]) -> None:
        self.gate = gate
        self.unmet = list(unmet)
        listed = ", ".join(f"{u.kind} {u.key}" for u in self.unmet)
        super().__init__(f"gate '{gate}' has unmet requirements: {listed}")


class StaleVersion(WorkflowError):
    """The caller acted on an older version of the project than the stored one."""

    code = "stale_version"

    def __init__(self, project_id: int, expected: int, actual: int) -> None:
        self.project_id = project_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"project {project_id} is at version {actual}, not {expected}; reload and try again"
        )


class ConcurrentUpdate(WorkflowError):
    """Another change to the same project or gate won; this one was not applied."""

    code = "conflict"
