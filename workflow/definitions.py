"""Load, validate and freeze workflow definitions (SPEC §2a).

A definition file is parsed with a YAML loader that rejects duplicate keys, checked for
shape by pydantic models (unknown keys and wrong types are errors), then checked for
meaning (references between stages, gates, fields and checklist items; reachability).
Every problem is reported at once as a ``FILE: WHERE: WHAT`` line in a
:class:`~workflow.errors.DefinitionError`; a loaded :class:`Definition` is immutable.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from workflow.errors import DefinitionError

KEY_PATTERN = r"^[a-z0-9_-]+$"
ORGANISATION_TYPES = ("public", "research", "business", "civil_society", "citizens")
FIELD_TYPES = ("string", "text", "integer", "money", "date", "boolean", "choice", "url")
NUMERIC_TYPES = ("integer", "money")
ANY_GROUP = "any"

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
    version: Annotated[StrictInt, Field(ge=1)]
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


# libyaml's parser when PyYAML was built with it: it reads a definition ten times faster
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe YAML loader that refuses duplicate mapping keys."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in mapping
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _where(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top)"


_MESSAGES = {
    "missing": "required key is missing",
    "extra_forbidden": "unknown key",
    "string_pattern_mismatch": "must be lower-case letters, digits, '_' or '-'",
    "string_too_short": "must not be empty",
}


def _shape_problems(name: str, error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        # pydantic adds the union member's type name to the location; drop it for readers
        loc = [p for p in loc if p not in {"int", "float", "date", "str", "none", "Text"}]
        if item["type"] == "extra_forbidden" and loc:
            message = f"unknown key '{loc[-1]}'"
            loc = loc[:-1]
        else:
            message = _MESSAGES.get(item["type"], item["msg"][0].lower() + item["msg"][1:])
        problem = f"{name}: {_where(loc)}: {message}"
        if problem not in problems:
            problems.append(problem)
    return problems


def parse_definition(text: str, name: str = "<definition>") -> Definition:
    """Parse and validate one definition from YAML text.

    Args:
        text: the file's content.
        name: the file name used in error messages.

    Returns:
        The validated, immutable definition.

    Raises:
        DefinitionError: with every problem found, as ``FILE: WHERE: WHAT`` lines.
    """
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise DefinitionError([f"{name}: {where}: invalid YAML: {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise DefinitionError([f"{name}: (file): invalid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise DefinitionError([f"{name}: (top): must be a mapping of keys to values"])
    try:
        definition = Definition.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_shape_problems(name, exc)) from None
    problems = [f"{name}: {where}: {what}" for where, what in _meaning_problems(definition)]
    if problems:
        raise DefinitionError(problems)
    return definition


def load_definition_file(path: Path) -> Definition:
    """Read and validate one definition file (see :func:`parse_definition`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"{path.name}: (file): cannot read: {exc}"]) from None
    return parse_definition(text, path.name)


def definition_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their ``*.yaml`` files, sorted; keep files as given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        else:
            files.append(path)
    return files


def load_definitions(paths: Iterable[Path]) -> list[tuple[Definition, str]]:
    """Load every definition file under ``paths``, collecting problems from all of them.

    Returns:
        Each definition with the text it was read from, in file order.

    Raises:
        DefinitionError: every problem in every file, and duplicate keys across files.
    """
    loaded: list[tuple[Definition, str]] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    files = definition_files(paths)
    if not files:
        raise DefinitionError([f"{', '.join(map(str, paths))}: (path): no definition files"])
    for path in files:
        if not path.exists():
            problems.append(f"{path}: (file): no such file")
            continue
        try:
            definition = load_definition_file(path)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        if definition.key in seen:
            problems.append(
                f"{path.name}: key: '{definition.key}' is also used by {seen[definition.key]}"
            )
            continue
        seen[definition.key] = path.name
        loaded.append((definition, path.read_text(encoding="utf-8")))
    if problems:
        raise DefinitionError(problems)
    return loaded


def content_hash(text: str) -> str:
    """A stable fingerprint of a definition file's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- meaning checks -------------------------------------------------------------------


def _duplicates(keys: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            yield key
        seen.add(key)


def _meaning_problems(d: Definition) -> Iterator[tuple[str, str]]:
    yield from _unique_key_problems(d)
    yield from _field_problems(d)
    stages = {s.key: s for s in d.stages}
    yield from _stage_problems(d)
    for i, gate in enumerate(d.gates):
        yield from _gate_problems(d, stages, i, gate)
    for i, deadline in enumerate(d.deadlines):
        yield from _deadline_problems(d, stages, i, deadline)
    yield from _graph_problems(d, stages)


def _unique_key_problems(d: Definition) -> Iterator[tuple[str, str]]:
    for what, items in (
        ("fields", d.fields),
        ("stages", d.stages),
        ("gates", d.gates),
        ("deadlines", d.deadlines),
    ):
        for key in _duplicates(item.key for item in items):
            yield what, f"duplicate key '{key}'"
    for i, stage in enumerate(d.stages):
        for key in _duplicates(c.key for c in stage.checklist):
            yield f"stages[{i}].checklist", f"duplicate key '{key}'"
    for i, f in enumerate(d.fields):
        if f.key in {"title", "summary"}:
            yield f"fields[{i}].key", f"'{f.key}' is built in; choose another key"


def _field_problems(d: Definition) -> Iterator[tuple[str, str]]:
    for i, f in enumerate(d.fields):
        if f.type == "choice" and not f.choices:
            yield f"fields[{i}].choices", "a choice field needs at least one choice"
        if f.type != "choice" and f.choices is not None:
            yield f"fields[{i}].choices", f"only choice fields have choices, not {f.type}"
        if f.choices:
            for key in _duplicates(c.key for c in f.choices):
                yield f"fields[{i}].choices", f"duplicate key '{key}'"


def _stage_problems(d: Definition) -> Iterator[tuple[str, str]]:
    if len(d.stages) < 2:
        yield "stages", "a definition needs at least two stages"
        return
    if not d.gates:
        yield "gates", "a definition needs at least one gate"
    if d.stages[0].final:
        yield "stages[0].final", "the first stage cannot be final"
    if not any(s.final for s in d.stages):
        yield "stages", "no stage is final; mark the stage that completes a project 'final: true'"
    for i, s in enumerate(d.stages):
        if not s.final and s.sla_days is None:
            yield f"stages[{i}].sla_days", "required for a stage that is not final"
        if not s.final and s.guidance is None:
            yield f"stages[{i}].guidance", "required for a stage that is not final"


def _gate_problems(
    d: Definition, stages: dict[str, Stage], i: int, gate: Gate
) -> Iterator[tuple[str, str]]:
    where = f"gates[{i}]"
    for attr, value in (("from", gate.from_), ("to", gate.to), ("recycle_to", gate.recycle_to)):
        if value is not None and value not in stages:
            yield f"{where}.{attr}", f"unknown stage '{value}'"
    source = stages.get(gate.from_)
    if source is not None and source.final:
        yield f"{where}.from", f"stage '{gate.from_}' is final; no gate may leave it"
    for j, key in enumerate(gate.requires.fields):
        if not d.has_field(key):
            yield f"{where}.requires.fields[{j}]", f"unknown field '{key}'"
    items = {c.key for c in source.checklist} if source else set()
    for j, key in enumerate(gate.requires.checklist):
        if source is not None and key not in items:
            yield (
                f"{where}.requires.checklist[{j}]",
                f"unknown checklist item '{key}' in stage '{gate.from_}'",
            )
    for org_type in gate.requires.partners:
        if org_type not in ORGANISATION_TYPES:
            yield (
                f"{where}.requires.partners.{org_type}",
                f"unknown organisation type; use one of {', '.join(ORGANISATION_TYPES)}",
            )
    for j, comparison in enumerate(gate.requires.compare):
        yield from _comparison_problems(d, f"{where}.requires.compare[{j}]", comparison)
    for key in _duplicates(c.key for c in gate.scorecard):
        yield f"{where}.scorecard", f"duplicate key '{key}'"
    if gate.pass_score is not None and not gate.scorecard:
        yield f"{where}.pass_score", "needs a scorecard to score against"
    for group in gate.quorum:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", group):
            yield f"{where}.quorum.{group}", "group names are lower-case letters, digits and '_'"
    if ANY_GROUP in gate.quorum and len(gate.quorum) > 1:
        yield f"{where}.quorum", f"'{ANY_GROUP}' cannot be combined with named groups"


def _comparison_problems(d: Definition, where: str, c: Comparison) -> Iterator[tuple[str, str]]:
    if (c.value is None) == (c.other is None):
        yield where, "give exactly one of 'value' and 'other'"
    kinds = []
    for attr, key in (("field", c.field), ("other", c.other)):
        if key is None:
            continue
        if not d.has_field(key):
            yield f"{where}.{attr}", f"unknown field '{key}'"
            continue
        ftype = d.field(key).type
        if ftype not in (*NUMERIC_TYPES, "date"):
            yield f"{where}.{attr}", f"field '{key}' is {ftype}; only numbers and dates compare"
        kinds.append("date" if ftype == "date" else "number")
    if c.value is not None:
        kinds.append("date" if isinstance(c.value, date) else "number")
    if len(set(kinds)) > 1:
        yield where, "compares a date with a number"


def _deadline_problems(
    d: Definition, stages: dict[str, Stage], i: int, deadline: Deadline
) -> Iterator[tuple[str, str]]:
    where = f"deadlines[{i}]"
    if not d.has_field(deadline.field):
        yield f"{where}.field", f"unknown field '{deadline.field}'"
    elif d.field(deadline.field).type != "date":
        yield f"{where}.field", f"field '{deadline.field}' is not a date"
    for j, key in enumerate(deadline.stages):
        if key not in stages:
            yield f"{where}.stages[{j}]", f"unknown stage '{key}'"


def _graph_problems(d: Definition, stages: dict[str, Stage]) -> Iterator[tuple[str, str]]:
    if any(g.from_ not in stages or g.to not in stages for g in d.gates):
        return  # already reported; the graph is not meaningful yet
    exits = {key: set() for key in stages}  # type: dict[str, set[str]]
    for gate in d.gates:
        exits[gate.from_].add(gate.to)
        if gate.recycle_to in stages:
            exits[gate.from_].add(gate.recycle_stage)
    reached = {d.stages[0].key}
    queue = deque(reached)
    while queue:
        for nxt in exits[queue.popleft()] - reached:
            reached.add(nxt)
            queue.append(nxt)
    for i, s in enumerate(d.stages):
        if s.key not in reached:
            yield f"stages[{i}]", f"stage '{s.key}' cannot be reached from '{d.stages[0].key}'"
        forward = {g.to for g in d.gates if g.from_ == s.key} - {s.key}
        if not s.final and not forward:
            yield f"stages[{i}]", f"stage '{s.key}' is not final but no gate leads out of it"
