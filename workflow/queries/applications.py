"""The read side of funding applications: a project's applications, newest first, each with
its call and the call's rules met or not, and the facts its gate requirements see.

The project's *current* application is its newest (SPEC §2c). The ``calls`` table is only
read here; the calls' own use cases live elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from workflow.errors import NotFound
from workflow.queries.application_rows import (
    IN_PROGRESS,
    applicant_type,
    application_query,
    partner_types,
    rules_of,
)
from workflow.queries.projects import Page
from workflow.runtime import Workflow
from workflow.store.tables import applications, calls, projects

__all__ = ["IN_PROGRESS", "application_calls", "get_application", "list_applications"]


def _shown(
    row: Mapping[Any, Any], types: list[str], now: datetime, zone: ZoneInfo
) -> dict[str, Any]:
    item = {c.name: row[c.name] for c in applications.c}
    item["call"] = {
        "id": row["call_id"],
        "funder": row["call_funder"],
        "title": row["call_title"],
        "url": row["call_url"],
        "opens_on": row["call_opens_on"],
        "deadline": row["call_deadline"],
        "decision_expected_on": row["call_decision_expected_on"],
    }
    item["applicant"] = (
        {
            "id": row["applicant_organisation_id"],
            "name": row["applicant_name"],
            "type": row["applicant_type"],
        }
        if row["applicant_organisation_id"] is not None
        else None
    )
    item["applicant_type"] = applicant_type(row)
    item["own_share"] = (
        row["budget"] - row["applied_amount"]
        if row["budget"] is not None and row["applied_amount"] is not None
        else None
    )
    criteria = rules_of(row, types, now=now, zone=zone)
    item["call_rules"] = [c.as_dict() for c in criteria]
    item["call_rules_met"] = all(c.met for c in criteria)
    return item


def list_applications(
    wf: Workflow,
    project_id: int,
    *,
    page: int = 1,
    per_page: int = 100,
    now: datetime | None = None,
) -> Page:
    """A project's applications, newest first (the first on page 1 is the current one),
    each with its call (``funder``, ``title``, ``deadline``, …) and its ``call_rules``.

    Raises:
        NotFound: there is no such project.
    """
    now = now or wf.clock()
    with wf.db.read() as conn:
        rows = (
            conn.execute(
                application_query()
                .where(applications.c.project_id == project_id)
                .order_by(applications.c.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
            .mappings()
            .all()
        )
        if not rows:  # an empty page may be a project that does not exist
            exists = conn.execute(select(projects.c.id).where(projects.c.id == project_id))
            if exists.first() is None:
                raise NotFound("no_project", project=project_id)
        if page == 1 and len(rows) < per_page:
            total = len(rows)  # all of them are here: no need to count
        else:
            total = conn.execute(
                select(func.count())
                .select_from(applications)
                .where(applications.c.project_id == project_id)
            ).scalar_one()
        types = partner_types(conn, project_id) if rows else []
    items = [_shown(r, types, now, wf.zone) for r in rows]
    newest = _newest_id(wf, project_id) if page > 1 else (rows[0]["id"] if rows else None)
    for item in items:
        item["current"] = item["id"] == newest
    return Page(items, int(total), page, per_page)


def _newest_id(wf: Workflow, project_id: int) -> int | None:
    with wf.db.read() as conn:
        return conn.execute(
            select(func.max(applications.c.id)).where(applications.c.project_id == project_id)
        ).scalar()


def get_application(
    wf: Workflow, project_id: int, application_id: int, *, now: datetime | None = None
) -> dict[str, Any]:
    """One application of a project, shaped as in :func:`list_applications`.

    Raises:
        NotFound: the project has no such application.
    """
    now = now or wf.clock()
    with wf.db.read() as conn:
        row = (
            conn.execute(
                application_query().where(
                    applications.c.project_id == project_id, applications.c.id == application_id
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound("no_application", project=project_id, application=application_id)
        types = partner_types(conn, project_id)
        newest = conn.execute(
            select(func.max(applications.c.id)).where(applications.c.project_id == project_id)
        ).scalar()
    item = _shown(row, types, now, wf.zone)
    item["current"] = item["id"] == newest
    return item


def application_calls(wf: Workflow, *, limit: int = 200) -> list[dict[str, Any]]:
    """Calls to choose from for an application, the latest deadline first."""
    with wf.db.read() as conn:
        rows = conn.execute(
            select(calls.c.id, calls.c.funder, calls.c.title, calls.c.opens_on, calls.c.deadline)
            .order_by(calls.c.deadline.desc(), calls.c.id.desc())
            .limit(limit)
        ).mappings()
        return [dict(r) for r in rows]
