"""The read side of reports: a project's reports, and the portfolio's overdue ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from workflow.domain.lifecycle import KILLED
from workflow.domain.reports import final_report_due, holds_payment, is_overdue, project_end_of
from workflow.errors import NotFound
from workflow.queries.projects import Page, _page_args
from workflow.runtime import Workflow
from workflow.store.tables import applications, projects, reports, users


def current_application(conn: Connection, project_id: int) -> dict[str, Any] | None:
    """The project's current application (its newest): its id and planned end, or None."""
    row = (
        conn.execute(
            select(applications.c.id, applications.c.planned_end)
            .where(applications.c.project_id == project_id)
            .order_by(applications.c.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return None if row is None else dict(row)


@dataclass(frozen=True)
class ProjectReports:
    """A project's reports, oldest due first, and what follows from them.

    Attributes:
        items: each report as a dict of its columns, with ``overdue`` and the approver's name.
        payment_held: a progress report holds back the funder's payment (delivered and not
            approved, or its day has come and it is not delivered).
        project_end: the project's end date (current application, else ``project_end``).
        final_due_on: the final report's due date: the stored one, else the one a final
            report added now would get (None without an end date).
        has_final: the project has its final report.
        version: the project's version, for ``ETag`` and forms.
        owner_id, status: the project's owner and status.
    """

    project_id: int
    version: int
    owner_id: int
    status: str
    items: list[dict[str, Any]] = field(default_factory=list)
    payment_held: bool = False
    project_end: date | None = None
    final_due_on: date | None = None
    has_final: bool = False


def project_reports(wf: Workflow, project_id: int, *, today: date | None = None) -> ProjectReports:
    """A project's reports by due date, each marked overdue or not, and whether a progress
    report holds back payment.

    Raises:
        NotFound: there is no such project.
    """
    today = today or wf.today()
    others = applications.alias("others")
    newest = (
        select(others.c.id)
        .where(others.c.project_id == projects.c.id)
        .order_by(others.c.id.desc())
        .limit(1)
        .correlate(projects)
        .scalar_subquery()
    )
    # one query: the project, its current application's end and its reports (if any)
    query = (
        select(
            projects.c.version.label("project_version"),
            projects.c.owner_id.label("project_owner_id"),
            projects.c.status.label("project_status"),
            projects.c.fields.label("project_fields"),
            applications.c.id.label("current_application_id"),
            applications.c.planned_end.label("current_planned_end"),
            reports,
            users.c.name.label("approved_by_name"),
        )
        .select_from(projects)
        .outerjoin(applications, applications.c.id == newest)
        .outerjoin(reports, reports.c.project_id == projects.c.id)
        .outerjoin(users, users.c.id == reports.c.approved_by)
        .where(projects.c.id == project_id)
        .order_by(reports.c.due_on, reports.c.id)
    )
    with wf.db.read() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    if not rows:
        raise NotFound("no_project", project=project_id)
    first = rows[0]
    project_keys = [k for k in first if k.startswith(("project_", "current_"))]
    items = [
        dict(
            {k: v for k, v in r.items() if k not in project_keys},
            project_id=project_id,
            overdue=is_overdue(r["status"], r["due_on"], today),
        )
        for r in rows
        if r["id"] is not None
    ]
    application = None
    if first["current_application_id"] is not None:
        application = {
            "id": first["current_application_id"],
            "planned_end": first["current_planned_end"],
        }
    end = project_end_of(application, first["project_fields"] or {})
    final = next((r for r in items if r["kind"] == "final"), None)
    derived = final_report_due(end) if end else None
    final_due = final["due_on"] if final is not None else derived
    return ProjectReports(
        project_id=project_id,
        version=first["project_version"],
        owner_id=first["project_owner_id"],
        status=first["project_status"],
        items=items,
        payment_held=any(holds_payment(r["kind"], r["status"], r["due_on"], today) for r in items),
        project_end=end,
        final_due_on=final_due,
        has_final=final is not None,
    )


def overdue_reports(
    wf: Workflow, *, page: int = 1, per_page: int = 25, today: date | None = None
) -> Page:
    """One page of the reports past their due date and not delivered, longest overdue first,
    with their project and its owner (killed projects' reports left out).

    One query walks the ``(status, due_on)`` index; the total comes with it.
    """
    page, per_page = _page_args(page, per_page)
    today = today or wf.today()
    overdue = (reports.c.status == "due", reports.c.due_on < today, projects.c.status != KILLED)
    query = (
        select(
            reports.c.id,
            reports.c.project_id,
            reports.c.kind,
            reports.c.due_on,
            projects.c.title,
            projects.c.owner_id,
            users.c.name.label("owner_name"),
            func.count().over().label("total"),
        )
        .join(projects, projects.c.id == reports.c.project_id)
        .join(users, users.c.id == projects.c.owner_id)
        .where(*overdue)
        .order_by(reports.c.due_on, reports.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with wf.db.read() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
        if rows:
            total = int(rows[0]["total"])
        elif page == 1:
            total = 0
        else:  # a page past the end: count them apart
            count = (
                select(func.count())
                .select_from(reports)
                .join(projects, projects.c.id == reports.c.project_id)
                .where(*overdue)
            )
            total = int(conn.execute(count).scalar_one())
    for row in rows:
        row.pop("total")
        row["days_overdue"] = (today - row["due_on"]).days
    return Page(rows, total, page, per_page)
