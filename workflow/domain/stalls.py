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
