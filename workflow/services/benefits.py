"""A project's benefit realisation plan: add and edit benefits, record measurements
(SPEC §2b, §2c, §4b; DOMAIN §6).

Each use case is a change of the project through the write pipeline: its lock, its version
check (``expected_version``, 412 when stale), an audit event in the same transaction and the
version bump. Benefits are frozen while the project is in review and refused once it is
killed, on hold or completed; measurements go on after completion (effect is measured
after the project ends). The project's owner and a benefit's owner (gevinsteier) write.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update

from workflow.domain.benefits import (
    baseline_problem,
    benefit_values,
    measurement_problems,
)
from workflow.domain.lifecycle import ACTIVE, COMPLETED
from workflow.errors import InvalidInput, NotFound, PermissionDenied, Problem, TransitionNotAllowed
from workflow.runtime import Actor, Workflow
from workflow.store import pipeline
from workflow.store.pipeline import ProjectChange
from workflow.store.tables import benefits, measurements, users

#: the project statuses in which measurements may be recorded: they go on after completion
MEASUREMENT_STATUSES_OPEN = (ACTIVE, COMPLETED)


@contextmanager
def _benefit_change(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    expected_version: int | None,
    *,
    open_statuses: tuple[str, ...] = (ACTIVE,),
) -> Iterator[ProjectChange]:
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        status = ch.row["status"]
        if status not in open_statuses:
            raise TransitionNotAllowed(
                "part_frozen", part="benefits", status=status, project=project_id
            )
        yield ch


def _benefit(ch: ProjectChange, benefit_id: int) -> dict[str, Any]:
    row = (
        ch.conn.execute(
            select(benefits).where(
                benefits.c.id == benefit_id, benefits.c.project_id == ch.row["id"]
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("no_benefit", project=ch.row["id"], benefit=benefit_id)
    return dict(row)


def _check_owner_user(ch: ProjectChange, values: Mapping[str, Any]) -> None:
    owner_id = values.get("owner_id")
    if owner_id is None:
        return
    found = ch.conn.execute(
        select(users.c.id).where(users.c.id == owner_id, users.c.is_active.is_(True))
    ).scalar()
    if found is None:
        raise InvalidInput({"owner_id": Problem("no_user", {"user": owner_id})})


def _check_dates(merged: Mapping[str, Any]) -> None:
    problem = baseline_problem(merged.get("baseline_on"), merged.get("change_on"))
    if problem is not None:
        raise InvalidInput({"baseline.on": problem})


def _is_unexpected(ch: ProjectChange, today: date) -> bool:
    """A benefit is unexpected when it is added after execution started: once the earliest
    change a planned benefit measures has taken effect."""
    first_change = ch.conn.execute(
        select(func.min(benefits.c.change_on)).where(benefits.c.project_id == ch.row["id"])
    ).scalar()
    return first_change is not None and first_change <= today


def add_benefit(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    expected_version: int | None = None,
    unexpected: bool | None = None,
    **given: Any,
) -> int:
    """Add a benefit to the project's plan: ``description``, ``type``, ``chain_link``,
    ``indicator``, ``unit``, ``change_on``, ``baseline``/``target`` as ``{"value", "on"}``,
    ``owner_id`` (the benefit owner), ``preconditions``, ``nok_per_year``. It is marked
    ``unexpected`` when added after execution started (or when the caller says so).
    Returns the benefit's id.

    Raises:
        PermissionDenied: the actor does not own the project.
        InvalidInput: a bad field; a baseline not before the change; an unknown owner.
        TransitionNotAllowed: the project is not active.
    """
    values, errors = benefit_values(given)
    if errors:
        raise InvalidInput(errors)
    _check_dates(values)
    with _benefit_change(wf, actor, project_id, expected_version) as ch:
        pipeline.require_owner(ch.row, actor.id)
        _check_owner_user(ch, values)
        today = wf.today(ch.now)
        marked = _is_unexpected(ch, today) if unexpected is None else bool(unexpected)
        benefit_id: int = ch.conn.execute(
            insert(benefits)
            .values(
                project_id=project_id,
                unexpected=marked,
                created_by=actor.id,
                created_at=ch.now,
                updated_at=ch.now,
                **{"indicator": "", "unit": "", "preconditions": "", **values},
            )
            .returning(benefits.c.id)
        ).scalar_one()
        ch.record(
            "benefit_added",
            {"benefit_id": benefit_id, "type": values["type"], "unexpected": marked},
        )
    return benefit_id


def edit_benefit(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    benefit_id: int,
    *,
    expected_version: int | None = None,
    **given: Any,
) -> int:
    """Change some fields of a benefit (its measurements are never changed). Returns the
    project's new version.

    Raises:
        PermissionDenied: the actor is neither the project's owner nor the benefit's owner.
        NotFound: the project has no such benefit.
        InvalidInput: a bad field; a baseline not before the change; an unknown owner.
        TransitionNotAllowed: the project is not active.
    """
    values, errors = benefit_values(given, partial=True)
    if errors:
        raise InvalidInput(errors)
    with _benefit_change(wf, actor, project_id, expected_version) as ch:
        row = _benefit(ch, benefit_id)
        if actor.id not in (ch.row["owner_id"], row["owner_id"]):
            raise PermissionDenied("not_benefit_writer", project=project_id)
        _check_owner_user(ch, values)
        _check_dates({**row, **values})
        changed = sorted(k for k, v in values.items() if row.get(k) != v)
        if changed:
            ch.conn.execute(
                update(benefits)
                .where(benefits.c.id == benefit_id)
                .values(updated_at=ch.now, **values)
            )
        ch.record("benefit_changed", {"benefit_id": benefit_id, "fields": changed})
    return ch.version


def record_measurement(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    benefit_id: int,
    *,
    value: Any,
    measured_on: Any,
    comment: str | None = "",
    expected_version: int | None = None,
) -> int:
    """Record a measured value of a benefit (appended to its series, never overwritten).
    A measurement on or after the target date that misses the target needs a comment.
    Returns the measurement's id.

    Raises:
        PermissionDenied: the actor is neither the project's owner nor the benefit's owner.
        NotFound: the project has no such benefit.
        InvalidInput: not a number, not a date, a missing explanation of a deviation.
        TransitionNotAllowed: the project is in review, on hold or killed.
    """
    with _benefit_change(
        wf, actor, project_id, expected_version, open_statuses=MEASUREMENT_STATUSES_OPEN
    ) as ch:
        row = _benefit(ch, benefit_id)
        if actor.id not in (ch.row["owner_id"], row["owner_id"]):
            raise PermissionDenied("not_benefit_writer", project=project_id)
        number, day, errors = measurement_problems(value, measured_on, comment, row)
        if errors:
            raise InvalidInput(errors)
        assert number is not None
        assert day is not None
        measurement_id: int = ch.conn.execute(
            insert(measurements)
            .values(
                benefit_id=benefit_id,
                value=number,
                measured_on=day,
                comment=(comment or "").strip(),
                recorded_by=actor.id,
                recorded_at=ch.now,
            )
            .returning(measurements.c.id)
        ).scalar_one()
        ch.record(
            "measurement_recorded",
            {
                "benefit_id": benefit_id,
                "measurement_id": measurement_id,
                "value": number,
                "measured_on": day.isoformat(),
            },
        )
    return measurement_id
