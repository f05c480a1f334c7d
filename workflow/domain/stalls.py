"""When a project stalls and what the stall check does about it: pure rules, no database."""

from __future__ import annotations

from datetime import datetime, timedelta

from workflow.definitions import Definition
from workflow.domain.lifecycle import ACTIVE, IN_REVIEW


def stale_at(
    definition: Definition,
    stage: str,
    status: str,
    now: datetime,
    *,
    funder_pending: bool = False,
) -> datetime | None:
    """When a project in ``stage`` and ``status`` with activity at ``now`` becomes stalled.

    Only active projects and those awaiting a decision stall, and only in a stage with
    ``sla_days``; otherwise None. An active project whose current application waits for the
    funder's decision (``funder_pending``) does not stall: waiting is not stalling
    (SPEC §2c); the clock starts again from the decision.
    """
    sla = definition.stage(stage).sla_days
    if status not in (ACTIVE, IN_REVIEW) or sla is None:
        return None
    if funder_pending and status == ACTIVE:
        return None
    return now + timedelta(days=sla)


#: why a project is flagged: nothing happened for longer than the stage's ``sla_days``, or
#: its review waited longer than the gate's ``review_sla_days``
NO_ACTIVITY, REVIEW_OVERDUE = "no_activity", "review_overdue"


def review_sla_days(definition: Definition, gate_key: str | None) -> int | None:
    """The days the gatekeepers of ``gate_key`` may take to decide (the gate's
    ``review_sla_days``), or None: the gate has no review SLA (or there is no such gate)."""
    if gate_key is None:
        return None
    try:
        return definition.gate(gate_key).review_sla_days
    except KeyError:
        return None


def review_stale_at(
    definition: Definition, gate_key: str | None, submitted_at: datetime
) -> datetime | None:
    """When a review at ``gate_key`` submitted at ``submitted_at`` becomes overdue, or None
    when the gate has no review SLA (the stage's ``sla_days`` then applies as usual)."""
    days = review_sla_days(definition, gate_key)
    return None if days is None else submitted_at + timedelta(days=days)


def stall_reason(definition: Definition, status: str, pending_gate: str | None) -> str:
    """Why a stalled project in ``status`` counts as stalled: :data:`REVIEW_OVERDUE` when it
    is in review at a gate with a review SLA, else :data:`NO_ACTIVITY`."""
    if status == IN_REVIEW and review_sla_days(definition, pending_gate) is not None:
        return REVIEW_OVERDUE
    return NO_ACTIVITY


def stall_actions(*, flagged: bool, escalated: bool, idle: timedelta, sla_days: int) -> list[str]:
    """The audit actions a stalled project is due, in order: ``stalled``, ``escalated``.

    The owner is told once per stall episode; the gatekeepers once the project has been
    idle twice its SLA. A project first seen past twice its SLA (a catch-up run after
    downtime) gets both at once, so a re-run for the same day finds nothing.
    """
    actions = []
    if not flagged:
        actions.append("stalled")
    if not escalated and idle >= timedelta(days=2 * sla_days):
        actions.append("escalated")
    return actions
