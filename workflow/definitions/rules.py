"""What the parts of a definition mean together: the rules checked after its shape.

Each check yields ``(where, what)`` pairs; :func:`meaning_problems` runs them all so that a
coordinator sees every problem of a file at once.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator

from workflow.definitions.schema import ANY_GROUP, Deadline, Definition, Gate, Stage
from workflow.requirements.compare import COUNTS
from workflow.requirements.registry import KINDS


def _duplicates(keys: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            yield key
        seen.add(key)


def meaning_problems(d: Definition) -> Iterator[tuple[str, str]]:
    """Every problem with how the parts of ``d`` fit together, as (where, what)."""
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
        if f.key in {"title", "summary", *COUNTS}:
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
    for kind in KINDS:
        yield from kind.check(d, gate, f"{where}.requires")
    for key in _duplicates(c.key for c in gate.scorecard):
        yield f"{where}.scorecard", f"duplicate key '{key}'"
    if gate.pass_score is not None and not gate.scorecard:
        yield f"{where}.pass_score", "needs a scorecard to score against"
    for group in gate.quorum:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", group):
            yield f"{where}.quorum.{group}", "group names are lower-case letters, digits and '_'"
    if ANY_GROUP in gate.quorum and len(gate.quorum) > 1:
        yield f"{where}.quorum", f"'{ANY_GROUP}' cannot be combined with named groups"
    yield from _kill_quorum_problems(gate, where)


def _kill_quorum_problems(gate: Gate, where: str) -> Iterator[tuple[str, str]]:
    if gate.kill_quorum is None:
        return
    if not gate.kill_quorum:
        yield f"{where}.kill_quorum", "names at least one group"
    for group in gate.kill_quorum:
        if ANY_GROUP not in gate.quorum and group not in gate.quorum and group != ANY_GROUP:
            yield f"{where}.kill_quorum.{group}", f"group '{group}' is not in the gate's quorum"
    if ANY_GROUP in gate.kill_quorum and len(gate.kill_quorum) > 1:
        yield f"{where}.kill_quorum", f"'{ANY_GROUP}' cannot be combined with named groups"


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
