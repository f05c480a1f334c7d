"""Reports a project owes its funder: add them, deliver them, approve them (SPEC §2c, §4b).

Each use case is a change of the project through the write pipeline: the project's lock,
its version check (``expected_version``, 412 when stale), an audit event in the same
transaction and the version bump. Reports are the sub-resource that goes on after the
project is completed; they are frozen while it is in review and refused once it is killed
(or on hold), like every other edit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from workflow.domain.lifecycle import ACTIVE, COMPLETED
from workflow.domain.reports import (
    REPORT_KINDS,
    final_report_due,
    project_end_of,
    project_start_of,
)
from workflow.domain.values import as_day
from workflow.errors import (
    Duplicate,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
    TransitionNotAllowed,
)
from workflow.queries.reports import current_application
from workflow.runtime import Actor, Workflow
from workflow.services.room import require_editor
from workflow.store import pipeline
from workflow.store.pipeline import ProjectChange
from workflow.store.tables import reports

MAX_NOTE = 5_000
#: the project statuses a report may change in: reports go on after completion
REPORT_STATUSES_OPEN = (ACTIVE, COMPLETED)


def _note_errors(note: Any) -> dict[str, Problem]:
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        return {"note": Problem("text_too_long", {"max": MAX_NOTE})}
    return {}


@contextmanager
def _report_change(
    wf: Workflow, actor: Actor, project_id: int, expected_version: int | None
) -> Iterator[ProjectChange]:
    """A change to a project's reports: allowed while it is active or completed."""
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        status = ch.row["status"]
        if status not in REPORT_STATUSES_OPEN:
            raise TransitionNotAllowed(
                "part_frozen", part="reports", status=status, project=project_id
            )
        yield ch


def _report(ch: ProjectChange, report_id: int) -> dict[str, Any]:
    row = (
        ch.conn.execute(
            select(reports).where(reports.c.id == report_id, reports.c.project_id == ch.row["id"])
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("no_report", project=ch.row["id"], report=report_id)
    return dict(row)


def _within_project(
    day: date, application: Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> None:
    """A progress report falls within the project: not before its start nor after its end
    (where the project has them)."""
    start, end = project_start_of(application, fields), project_end_of(application, fields)
    if start is not None and day < start:
        problem = Problem("report_before_project_start", {"start": start.isoformat()})
    elif end is not None and day > end:
        problem = Problem("report_after_project_end", {"end": end.isoformat()})
    else:
        return
    raise InvalidInput({"due_on": problem})


def add_report(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    kind: str,
    due_on: date | str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> int:
    """Add a report the project owes: a ``progress`` report due on ``due_on``, or the
    ``final`` report, due one calendar month after the project's end (the current
    application's planned end, else the field ``project_end``). Returns the report's id.

    Raises:
        PermissionDenied: the actor is neither the owner nor a coordinator.
        InvalidInput: a bad kind, due date or note; a progress report due outside the
            project's start and end; a final report without an end date.
        Duplicate: the project has a final report already.
        TransitionNotAllowed: the project is in review, on hold or killed.
    """
    errors = _note_errors(note)
    if kind not in REPORT_KINDS:
        errors["kind"] = Problem("not_one_of", {"choices": list(REPORT_KINDS)})
    day = as_day(due_on)
    if kind == "progress" and day is None:
        errors["due_on"] = Problem("required" if due_on in (None, "") else "not_date")
    elif kind == "final" and due_on not in (None, ""):
        errors["due_on"] = Problem("final_report_derived")
    if errors:
        raise InvalidInput(errors)
    with _report_change(wf, actor, project_id, expected_version) as ch:
        if ch.row["owner_id"] != actor.id and not actor.is_coordinator:
            raise PermissionDenied("not_report_writer", project=project_id)
        application = current_application(ch.conn, project_id)
        if kind == "final":
            existing = ch.conn.execute(
                select(reports.c.id).where(
                    reports.c.project_id == project_id, reports.c.kind == "final"
                )
            ).scalar()
            if existing is not None:
                raise Duplicate({"kind": Problem("final_report_exists", {"report": existing})})
            end = project_end_of(application, ch.row["fields"])
            if end is None:
                raise InvalidInput({"due_on": Problem("report_no_end_date")})
            day = final_report_due(end)
        assert day is not None  # a progress report's day was checked above
        if kind == "progress":
            _within_project(day, application, ch.row["fields"])
        report_id: int = ch.conn.execute(
            insert(reports)
            .values(
                project_id=project_id,
                application_id=application["id"] if application else None,
                kind=kind,
                due_on=day,
                status="due",
                note=note.strip(),
                created_at=ch.now,
            )
            .returning(reports.c.id)
        ).scalar_one()
        ch.record("report_added", {"report_id": report_id, "kind": kind, "due_on": day.isoformat()})
    return report_id


def deliver_report(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    report_id: int,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> int:
    """The owner delivers a due report, today (in the users' time zone), with a note.
    Returns the project's new version.

    Raises:
        PermissionDenied: the actor does not own the project.
        NotFound: the project has no such report.
        TransitionNotAllowed: the report is not due (delivered or approved already).
    """
    errors = _note_errors(note)
    if errors:
        raise InvalidInput(errors)
    with _report_change(wf, actor, project_id, expected_version) as ch:
        require_editor(ch.conn, ch.row, actor.id)  # the owner or the project manager
        row = _report(ch, report_id)
        if row["status"] != "due":
            raise TransitionNotAllowed(
                "report_not_due", report=report_id, report_status=row["status"]
            )
        today = wf.today(ch.now)
        values: dict[str, Any] = {"status": "delivered", "delivered_on": today}
        if note.strip():
            values["note"] = note.strip()
        ch.conn.execute(update(reports).where(reports.c.id == report_id).values(**values))
        ch.record(
            "report_delivered",
            {"report_id": report_id, "kind": row["kind"], "delivered_on": today.isoformat()},
        )
    return ch.version


def approve_report(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    report_id: int,
    *,
    expected_version: int | None = None,
) -> int:
    """A coordinator (or admin) approves a delivered report. Returns the project's new
    version.

    Raises:
        PermissionDenied: the actor is no coordinator, or owns the project.
        NotFound: the project has no such report.
        TransitionNotAllowed: the report is not delivered (still due, or approved already).
    """
    if not actor.is_coordinator:
        raise PermissionDenied("coordinators_approve_reports")
    with _report_change(wf, actor, project_id, expected_version) as ch:
        if ch.row["owner_id"] == actor.id:
            raise PermissionDenied("owner_cannot_approve_report")
        row = _report(ch, report_id)
        if row["status"] != "delivered":
            raise TransitionNotAllowed(
                "report_not_delivered", report=report_id, report_status=row["status"]
            )
        today = wf.today(ch.now)
        ch.conn.execute(
            update(reports)
            .where(reports.c.id == report_id)
            .values(status="approved", approved_on=today, approved_by=actor.id)
        )
        ch.record(
            "report_approved",
            {"report_id": report_id, "kind": row["kind"], "approved_on": today.isoformat()},
        )
    return ch.version
