"""``requires: partners: {type: need, …}``: partner organisations of each type.

A need is a count (``{research: 1}``: at least one research partner, whatever its status) or
``{min: 1, status: confirmed, approved: true}``: at least ``min`` partners of that type that
have come at least as far as ``status`` (``invited`` → ``confirmed`` →
``letter_of_intent``) and, with ``approved``, are approved research organisations. An unmet
need says which part is missing: the partners, their status or their approval.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from workflow.definitions.base import ORGANISATION_TYPES, Frozen
from workflow.requirements.base import Criterion, PartnerFact, ProjectFacts, RequirementKind

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate

#: a partner's statuses, in the order a partnership grows
PARTNER_STATUSES = ("invited", "confirmed", "letter_of_intent")

MESSAGES = {
    "partners_enough": "needs {needed} partner(s) of type '{key}', has {present}",
    "partners_missing": "needs {needed} partner(s) of type '{key}', has {present}",
    "partners_status_missing": (
        "needs {needed} partner(s) of type '{key}' that have come as far as '{status}', "
        "has {present}"
    ),
    "partners_approval_missing": (
        "needs {needed} partner(s) of type '{key}' that are approved research organisations, "
        "has {present}"
    ),
}

Count = Annotated[StrictInt, Field(ge=1, le=100)]


class PartnerNeed(Frozen):
    """How many partners of a type a gate needs, how far they have come, and whether they
    must be approved research organisations."""

    min: Count = 1
    status: Literal["invited", "confirmed", "letter_of_intent"] | None = None
    approved: StrictBool = False


def _short_form(value: Any) -> Any:
    """A count stands for ``{min: count}``; checked here so its error names the type."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    if not 1 <= value <= 100:
        raise PydanticCustomError("count", "must be a whole number from 1 to 100")
    return {"min": value}


#: a need as written: a count or the long form, read as the long form
Need = Annotated[PartnerNeed, BeforeValidator(_short_form)]


def check(_d: Definition, gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    """Each type must be an organisation type."""
    for org_type in gate.requires.partners:
        if org_type not in ORGANISATION_TYPES:
            yield (
                f"{where}.partners.{org_type}",
                f"unknown organisation type; use one of {', '.join(ORGANISATION_TYPES)}",
            )


def has_come_as_far(partner: PartnerFact, status: str | None) -> bool:
    """Whether the partner's status is ``status`` or further (any status when None)."""
    if status is None:
        return True
    return PARTNER_STATUSES.index(partner.status) >= PARTNER_STATUSES.index(status)


def evaluate(_d: Definition, gate: Gate, facts: ProjectFacts) -> Iterator[Criterion]:
    """A criterion per organisation type: enough partners, far enough, approved."""
    for org_type, need in gate.requires.partners.items():
        of_type = [p for p in facts.partners if p.type == org_type]
        far_enough = [p for p in of_type if has_come_as_far(p, need.status)]
        qualified = [p for p in far_enough if p.approved or not need.approved]
        params: dict[str, object] = {"needed": need.min, "present": len(qualified)}
        if len(qualified) >= need.min:
            code = "partners_enough"
        elif len(of_type) < need.min:
            code, params["present"] = "partners_missing", len(of_type)
        elif len(far_enough) < need.min:
            code, params["present"] = "partners_status_missing", len(far_enough)
            params["status"] = need.status
        else:
            code = "partners_approval_missing"
        yield Criterion("partners", org_type, code == "partners_enough", code, params)


KIND = RequirementKind(
    "partners",
    dict[StrictStr, Need],
    Field(default_factory=dict),
    check,
    evaluate,
    MESSAGES,
)
