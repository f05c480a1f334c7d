"""The shape of a workflow definition (SPEC §2a) as frozen pydantic models.

Unknown keys and wrong types are refused here; what the parts mean together (references
between stages, gates, fields; reachability) is checked in :mod:`workflow.definitions.rules`.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

KEY_PATTERN = r"^[a-z0-9_-]+$"
ORGANISATION_TYPES = ("public", "research", "business", "civil_society", "citizens")
FIELD_TYPES = ("string", "text", "integer", "money", "date", "boolean", "choice", "url")
NUMERIC_TYPES = ("integer", "money")
ANY_GROUP = "any"
#: the largest version the database's INTEGER column holds (PostgreSQL's is 32 bits)
MAX_VERSION = 2**31 - 1

Key = Annotated[StrictStr, Field(pattern=KEY_PATTERN, max_length=64)]
Number = StrictFloat


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Text(_Frozen):
    """A text in Norwegian bokmål and English."""

    nb: Annotated[StrictStr, Field(min_length=1)]
    en: Annotated[StrictStr, Field(min_length=1)]

    def get(self, language: str) -> str:
        """Return the text in ``language`` (``nb`` or ``en``), bokmål for anything else."""
        return self.en if language == "en" else self.nb


class Choice(_Frozen):
    """One option of a ``choice`` field."""

    key: Key
    label: Text


class FieldSpec(_Frozen):
    """A project field beyond title and summary."""

    key: Key
    type: Literal["string", "text", "integer", "money", "date", "boolean", "choice", "url"]
    label: Text
    help: Text | None = None
    choices: tuple[Choice, ...] | None = None


class ChecklistItem(_Frozen):
    """A task in a stage that the owner ticks off."""

    key: Key
    label: Text
    help: Text | None = None


class Stage(_Frozen):
    """A stage a project can be in."""

    key: Key
    title: Text
    sla_days: Annotated[StrictInt, Field(ge=1, le=3650)] | None = None
    guidance: Text | None = None
    checklist: tuple[ChecklistItem, ...] = ()
    final: StrictBool = False


class Comparison(_Frozen):
    """A requirement comparing a field with a value or another field.

    ``field op other * factor + offset`` (``offset`` in days for dates), or
    ``field op value``.
    """

    field: Key
    op: Literal["<", "<=", "==", ">=", ">"]
    value: StrictFloat | date | None = None
    other: Key | None = None
    factor: Number = 1.0
    offset: Number = 0
    label: Text | None = None


class Requirements(_Frozen):
    """What must hold before an owner can submit a project to a gate."""

    fields: tuple[Key, ...] = ()
    checklist: tuple[Key, ...] = ()
    partners: dict[StrictStr, Annotated[StrictInt, Field(ge=1, le=100)]] = Field(
        default_factory=dict
    )
    compare: tuple[Comparison, ...] = ()


class Criterion(_Frozen):
    """A scorecard criterion that gatekeepers score from 1 to 5."""

    key: Key
    label: Text
    help: Text | None = None
    weight: Annotated[Number, Field(gt=0, le=100)] = 1.0


class Gate(_Frozen):
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


class Deadline(_Frozen):
    """A dated obligation taken from a date field, with reminders before it is due."""

    key: Key
    field: Key
    label: Text
    offset_days: Annotated[StrictInt, Field(ge=-3650, le=3650)] = 0
    remind_days_before: tuple[Annotated[StrictInt, Field(ge=0, le=365)], ...] = (7, 1)
    stages: tuple[Key, ...] = ()


class Definition(_Frozen):
    """One collaboration form's workflow, validated and immutable."""

    key: Key
    version: Annotated[StrictInt, Field(ge=1, le=MAX_VERSION)]
    title: Text
    description: Text
    fields: tuple[FieldSpec, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    stages: tuple[Stage, ...]
    gates: tuple[Gate, ...]

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
