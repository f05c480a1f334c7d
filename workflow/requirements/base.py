"""What every requirement kind is made of, and what it evaluates against.

A kind (one module beside this one, listed in :mod:`workflow.requirements.registry`) declares
its key under ``requires:``, the shape of its YAML value, its load-time checks, its pure
evaluation into :class:`Criterion` items and the English of the codes those carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from workflow.errors import Unmet, english

if TYPE_CHECKING:
    from workflow.definitions.schema import Definition, Gate


@dataclass(frozen=True)
class PartnerFact:
    """One partner organisation of a project, as its requirements see it."""

    type: str
    status: str = "confirmed"
    approved: bool = False


@dataclass(frozen=True)
class ApplicationFact:
    """The project's current (newest) funding application, as its requirements see it."""

    status: str
    #: the call's rules it breaks (empty: it meets them all)
    call_rules_unmet: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportFact:
    """One report of a project: its kind and status."""

    kind: str
    status: str


@dataclass(frozen=True)
class BenefitFact:
    """One benefit of a project: what of its plan is filled in, and its newest measurement."""

    has_baseline: bool
    has_target: bool
    has_owner: bool
    target_on: date | None = None
    last_measured_on: date | None = None


@dataclass(frozen=True)
class ProjectFacts:
    """What a gate's requirements are checked against."""

    fields: Mapping[str, Any]
    checklist_done: frozenset[str]
    partners: tuple[PartnerFact, ...] = ()
    #: the current funding application (None: the project has none)
    application: ApplicationFact | None = None
    reports: tuple[ReportFact, ...] = ()
    #: how many follow-ups of a conditional go are still open
    open_follow_ups: int = 0
    #: the project has a lesson learned (read only when a gate asks)
    has_lesson: bool = False
    benefits: tuple[BenefitFact, ...] = ()
    # --- project room (issue #14) ---
    #: the project roles that are filled
    roles: frozenset[str] = frozenset()
    #: the attachment types the project holds a file of
    attachments: frozenset[str] = frozenset()
    # --- counts and the day (issue #16) ---
    #: the round of the current stage (1 on entering it; a gate to the same stage adds one)
    stage_round: int = 1
    #: the day the requirements are checked (in the deployment's time zone); None: today
    today: date | None = None

    @property
    def day(self) -> date:
        """The day the requirements are checked: ``today``, or the machine's date."""
        return self.today if self.today is not None else date.today()


@dataclass(frozen=True)
class Criterion:
    """One requirement of a gate and whether the project meets it.

    Attributes:
        kind: the criterion's kind (``field``, ``checklist``, ``partners``, ``compare``).
        key: what in the project it is about.
        met: whether the project meets it.
        code: why (met or not), a code of its requirement kind.
        params: values for its wording.
    """

    kind: str
    key: str
    met: bool
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """Why it is met or not, in English."""
        return english(self.code, {"key": self.key, **self.params})

    def as_unmet(self) -> Unmet:
        """This criterion as an :class:`~workflow.errors.Unmet` item."""
        return Unmet(self.kind, self.key, self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON and templates."""
        return {
            "kind": self.kind,
            "key": self.key,
            "met": self.met,
            "reason": self.reason,
            **self.params,
            "code": self.code,
            "params": dict(self.params),
        }


#: ``(definition, gate, where)`` → each load-time problem as ``(where, what)``
Checker = Callable[["Definition", "Gate", str], Iterator[tuple[str, str]]]
#: ``(definition, gate, facts)`` → a criterion per item, met or not, in file order
Evaluator = Callable[["Definition", "Gate", ProjectFacts], Iterator[Criterion]]


@dataclass(frozen=True)
class RequirementKind:
    """One kind of gate requirement, everything about it in one place.

    Attributes:
        key: its key under a gate's ``requires:`` (``fields``, ``checklist``, …).
        shape: the type of its YAML value, as a pydantic annotation.
        default: its value when a gate leaves it out (a value or a pydantic ``Field``).
        check: what the loader checks about it once the file has its shape.
        evaluate: its pure evaluation against a project's facts.
        messages: each code its criteria carry → the English template.
    """

    key: str
    shape: Any
    default: Any
    check: Checker
    evaluate: Evaluator
    messages: Mapping[str, str]
