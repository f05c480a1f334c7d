"""State machines: one compiled ``transitions`` machine per definition version, reused.

A project moves on two axes. Its *stage* comes from its definition (gates are the
triggers); its *status* (active, in_review, on_hold, killed, completed) follows the same
lifecycle in every definition. Each axis is one shared machine built once, with
``model=None``: events are fired at a project-like object and only read and write its
``stage`` or ``status`` attribute. Machines are never changed after they are built.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from transitions import Machine

from workflow.definitions import Definition
from workflow.errors import TransitionNotAllowed

ACTIVE, IN_REVIEW, ON_HOLD, KILLED, COMPLETED = (
    "active",
    "in_review",
    "on_hold",
    "killed",
    "completed",
)
STATUSES = (ACTIVE, IN_REVIEW, ON_HOLD, KILLED, COMPLETED)
OPEN_STATUSES = (ACTIVE, IN_REVIEW, ON_HOLD)

#: status trigger → (allowed source statuses, destination)
STATUS_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((ACTIVE,), IN_REVIEW),
    "advance": ((IN_REVIEW,), ACTIVE),
    "complete": ((IN_REVIEW,), COMPLETED),
    "recycle": ((IN_REVIEW,), ACTIVE),
    "hold": ((IN_REVIEW,), ON_HOLD),
    "kill": ((IN_REVIEW,), KILLED),
    "resume": ((ON_HOLD,), ACTIVE),
    "edit": ((ACTIVE,), ACTIVE),
}


@dataclass
class StageStatus:
    """A project's stage and status while a use case moves them through the machines."""

    stage: str
    status: str


class HasStage(Protocol):
    """Anything with a stage, such as a project row being decided."""

    stage: str


class HasStatus(Protocol):
    """Anything with a status."""

    status: str


def _machine(
    states: list[str], transitions: list[dict[str, Any]], initial: str, attribute: str
) -> Machine:
    return Machine(
        model=None,
        states=states,
        transitions=transitions,
        initial=initial,
        model_attribute=attribute,
        auto_transitions=False,
        send_event=True,
        queued=False,
    )


@dataclass(frozen=True)
class _Compiled:
    """A built machine with the triggers leaving each state (machines never change)."""

    machine: Machine
    triggers: dict[str, frozenset[str]]
    definition: Definition | None = None


def _compiled(machine: Machine, definition: Definition | None = None) -> _Compiled:
    triggers = {state: frozenset(machine.get_triggers(state)) for state in machine.states}
    return _Compiled(machine, triggers, definition)


#: (key, version) → its compiled stage machine: one entry per definition version
_stage_machines: dict[tuple[str, int], _Compiled] = {}


def _build_stage_machine(definition: Definition) -> Machine:
    transitions = [
        {"trigger": gate.key, "source": gate.from_, "dest": gate.to} for gate in definition.gates
    ]
    # a recycle is a transition of its own per gate, so the machine knows every path;
    # its trigger cannot be spelt as a gate key, so no gate can fire another's recycle
    transitions += [
        {"trigger": recycle_trigger(gate.key), "source": gate.from_, "dest": gate.recycle_stage}
        for gate in definition.gates
    ]
    return _machine(
        [s.key for s in definition.stages], transitions, definition.first_stage.key, "stage"
    )


def recycle_trigger(gate_key: str) -> str:
    """The stage trigger of a recycle at ``gate_key``: ``recycle:<gate>``.

    ``:`` is not allowed in a key, so this never names a gate (``x__recycle`` once did).
    """
    return f"recycle:{gate_key}"


def _stage(definition: Definition) -> _Compiled:
    key = (definition.key, definition.version)
    found = _stage_machines.get(key)
    # another object with the same key and version (say a definition file edited in a test
    # or reloaded) replaces the entry unless it is equal, so the cache never grows past one
    # machine per version and never fires the transitions of an older text
    if found is None or (found.definition is not definition and found.definition != definition):
        found = _stage_machines[key] = _compiled(_build_stage_machine(definition), definition)
    return found


def stage_machine(definition: Definition) -> Machine:
    """Return the shared stage machine for a definition version, building it on first use."""
    return _stage(definition).machine


@cache
def _status() -> _Compiled:
    transitions = [
        {"trigger": trigger, "source": list(sources), "dest": dest}
        for trigger, (sources, dest) in STATUS_TRANSITIONS.items()
    ]
    return _compiled(_machine(list(STATUSES), transitions, ACTIVE, "status"))


def status_machine() -> Machine:
    """Return the shared status machine (the same for every definition)."""
    return _status().machine


def fire_stage(
    definition: Definition,
    project: HasStage,
    gate_key: str,
    *,
    project_id: int,
    recycle: bool = False,
) -> str:
    """Move ``project.stage`` through the gate ``gate_key``, or back by its recycle.

    Returns:
        The new stage.

    Raises:
        TransitionNotAllowed: the trigger does not leave the project's stage.
    """
    compiled = _stage(definition)
    trigger = recycle_trigger(gate_key) if recycle else gate_key
    if trigger not in compiled.triggers.get(project.stage, ()):
        raise TransitionNotAllowed(
            "stage_not_left", trigger=trigger, stage=project.stage, project=project_id
        )
    compiled.machine.events[trigger].trigger(project)
    return project.stage


def fire_status(project: HasStatus, trigger: str, *, project_id: int) -> str:
    """Move ``project.status`` by a lifecycle trigger (submit, hold, resume, …).

    Returns:
        The new status.

    Raises:
        TransitionNotAllowed: with the trigger, status and project named.
    """
    compiled = _status()
    if trigger not in compiled.triggers.get(project.status, ()):
        raise TransitionNotAllowed(
            "status_forbids", trigger=trigger, status=project.status, project=project_id
        )
    compiled.machine.events[trigger].trigger(project)
    return project.status


def check_status(status: str, trigger: str, *, project_id: int) -> None:
    """Raise TransitionNotAllowed unless ``trigger`` is allowed in ``status``."""
    sources, _ = STATUS_TRANSITIONS[trigger]
    if status not in sources:
        raise TransitionNotAllowed(
            "status_forbids", trigger=trigger, status=status, project=project_id
        )
