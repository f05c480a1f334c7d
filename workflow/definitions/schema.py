"""The shape of a workflow definition (SPEC §2a) as frozen pydantic models.

Unknown keys and wrong types are refused here; what the parts mean together (references
between stages, gates, fields; reachability) is checked in :mod:`workflow.definitions.rules`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, create_model

from workflow.definitions.base import Frozen, Key, Number, Text
from workflow.requirements.registry import KINDS

FIELD_TYPES = ("string", "text", "integer", "money", "date", "boolean", "choice", "url")
ANY_GROUP = "any"
#: ``conflict_of_interest`` of a gate (SPEC §2c): refuse a conflicted gatekeeper, or let them vote
CONFLICT_RULES = ("block", "allow")
#: the largest version the database's INTEGER column holds (PostgreSQL's is 32 bits)
MAX_VERSION = 2**31 - 1


class Choice(Frozen):
    """One option of a ``choice`` field."""

    key: Key
    label: Text


class FieldSpec(Frozen):
    """A project field beyond title and summary."""

    key: Key
    type: Literal["string", "text", "integer", "money", "date", "boolean", "choice", "url"]
    label: Text
    help: Text | None = None
    choices: tuple[Choice, ...] | None = None


class ChecklistItem(Frozen):
    """A task in a stage that the owner ticks off."""

    key: Key
    label: Text
    help: Text | None = None


class Stage(Frozen):
    """A stage a project can be in."""

    key: Key
    title: Text
    sla_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = None
    guidance: Text | None = None
    checklist: tuple[ChecklistItem, ...] = ()
    final: StrictBool = False


if TYPE_CHECKING:

    class Requirements(Frozen):
        """What must hold before an owner can submit a project to a gate."""

        def __getattr__(self, kind: str) -> Any: ...

else:
    #: ``requires``: one entry per requirement kind of the registry, each with its own shape
    Requirements = create_model(
        "Requirements",
        __base__=Frozen,
        __doc__="What must hold before an owner can submit a project to a gate.",
        **{kind.key: (kind.shape, kind.default) for kind in KINDS},
    )


class Criterion(Frozen):
    """A scorecard criterion that gatekeepers score from 1 to 5."""

    key: Key
    label: Text
    help: Text | None = None
    weight: Annotated[Number, Field(gt=0, le=100)] = 1.0


class Gate(Frozen):
    """A decision point between two stages."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, populate_by_name=True)

    key: Key
    from_: Key = Field(alias="from")
    to: Key
    title: Text
    description: Text | None = None
    requires: Requirements = Requirements()
    scorecard: tuple[Criterion, ...] = ()
    pass_score: Annotated[Number, Field(ge=1, le=5)] | None = None
    quorum: dict[StrictStr, Annotated[StrictInt, Field(ge=1, le=20)]] = Field(
        default_factory=lambda: {ANY_GROUP: 1}
    )
    recycle_to: Key | None = None
    #: ``block``: a gatekeeper whose organisation (or one above it) is the owner's or a
    #: partner may not vote here (SPEC §2c); ``allow``: the rule does not apply
    conflict_of_interest: Literal["block", "allow"] = "block"
    #: the local name of this decision point (beslutningspunkt, e.g. BP2), shown beside the title
    decision_point: Text | None = None
    #: kill votes needed per gatekeeper group (SPEC §2b); None: any one gatekeeper kills
    kill_quorum: dict[StrictStr, Annotated[StrictInt, Field(ge=1, le=20)]] | None = None
    #: days the gatekeepers may take once a project is submitted here (e.g. MDI's two-week
    #: feedback promise); past it the project is flagged ``review_overdue``, measured from the
    #: submission whatever the owner does, and the stage's ``sla_days`` does not run meanwhile
    review_sla_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = None

    @property
    def blocks_conflicts(self) -> bool:
        """Whether a gatekeeper with a conflict of interest is refused at this gate."""
        return self.conflict_of_interest == "block"

    @property
    def recycle_stage(self) -> str:
        """The stage a ``recycle`` decision sends the project back to."""
        return self.recycle_to or self.from_

    def weighted_score(self, scores: dict[str, int]) -> float | None:
        """Return the weighted mean of ``scores`` over this gate's scorecard, or None."""
        if not self.scorecard:
            return None
        total = sum(c.weight for c in self.scorecard)
        return sum(c.weight * scores[c.key] for c in self.scorecard) / total


class Deadline(Frozen):
    """A dated obligation taken from a date field, with reminders before it is due."""

    key: Key
    field: Key
    label: Text
    offset_days: Annotated[StrictInt, Field(ge=-3650, le=3650)] = 0
    remind_days_before: tuple[Annotated[StrictInt, Field(ge=0, le=365)], ...] = (7, 1)
    stages: tuple[Key, ...] = ()


class Definition(Frozen):
    """One collaboration form's workflow, validated and immutable."""

    key: Key
    version: Annotated[StrictInt, Field(ge=1, le=MAX_VERSION)]
    title: Text
    description: Text
    fields: tuple[FieldSpec, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    stages: tuple[Stage, ...]
    gates: tuple[Gate, ...]
    # --- project room (issue #14): named roles and typed documents (SPEC §2b) ---
    project_roles: tuple[Choice, ...] = ()
    attachment_types: tuple[Choice, ...] = ()

    @property
    def first_stage(self) -> Stage:
        """The stage every new project starts in."""
        return self.stages[0]

    @cached_property
    def _stages(self) -> dict[str, Stage]:
        return {s.key: s for s in self.stages}

    @cached_property
    def _gates(self) -> dict[str, Gate]:
        return {g.key: g for g in self.gates}

    @cached_property
    def _fields(self) -> dict[str, FieldSpec]:
        return {f.key: f for f in self.fields}

    def stage(self, key: str) -> Stage:
        """Return the stage called ``key``; KeyError if there is none."""
        return self._stages[key]

    def gate(self, key: str) -> Gate:
        """Return the gate called ``key``; KeyError if there is none."""
        return self._gates[key]

    def field(self, key: str) -> FieldSpec:
        """Return the field called ``key``; KeyError if there is none."""
        return self._fields[key]

    def has_field(self, key: str) -> bool:
        """Whether the definition declares a field called ``key``."""
        return key in self._fields

    def gates_from(self, stage: str) -> tuple[Gate, ...]:
        """The gates a project in ``stage`` can be submitted to, in file order."""
        return tuple(g for g in self.gates if g.from_ == stage)

    def stage_index(self, key: str) -> int:
        """The stage's position in the definition (0 for the first)."""
        return [s.key for s in self.stages].index(key)
