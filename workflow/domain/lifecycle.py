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


#: id(definition) → (definition, machine); holding the definition keeps its id unique
_stage_machines: dict[int, tuple[Definition, Machine]] = {}


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


def stage_machine(definition: Definition) -> Machine:
    """Return the shared stage machine for a definition version, building it on first use."""
    cached = _stage_machines.get(id(definition))
    if cached is None:
        cached = _stage_machines[id(definition)] = (definition, _build_stage_machine(definition))
    return cached[1]


@cache
def status_machine() -> Machine:
    """Return the shared status machine (the same for every definition)."""
    transitions = [
        {"trigger": trigger, "source": list(sources), "dest": dest}
        for trigger, (sources, dest) in STATUS_TRANSITIONS.items()
    ]
    return _machine(list(STATUSES), transitions, ACTIVE, "status")


_triggers_cache: dict[tuple[int, str], frozenset[str]] = {}


def _triggers(machine: Machine, state: str) -> frozenset[str]:
    """``machine.get_triggers(state)``, remembered: shared machines never change."""
    key = (id(machine), state)
    found = _triggers_cache.get(key)
    if found is None:
        found = _triggers_cache[key] = frozenset(machine.get_triggers(state))
    return found


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
    machine = stage_machine(definition)
    trigger = recycle_trigger(gate_key) if recycle else gate_key
    if trigger not in _triggers(machine, project.stage):
        raise TransitionNotAllowed(
            f"'{trigger}' does not leave stage '{project.stage}' (project {project_id})"
        )
    machine.events[trigger].trigger(project)
    return project.stage


def fire_status(project: HasStatus, trigger: str, *, project_id: int) -> str:
    """Move ``project.status`` by a lifecycle trigger (submit, hold, resume, …).

    Returns:
        The new status.

    Raises:
        TransitionNotAllowed: with the trigger, status and project named.
    """
    machine = status_machine()
    if trigger not in _triggers(machine, project.status):
        raise TransitionNotAllowed(
            f"'{trigger}' is not allowed while '{project.status}' (project {project_id})"
        )
    machine.events[trigger].trigger(project)
    return project.status


def check_status(status: str, trigger: str, *, project_id: int) -> None:
    """Raise TransitionNotAllowed unless ``trigger`` is allowed in ``status``."""
    sources, _ = STATUS_TRANSITIONS[trigger]
    if status not in sources:
        raise TransitionNotAllowed(
            f"'{trigger}' is not allowed while '{status}' (project {project_id})"
        )
