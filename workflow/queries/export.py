"""The portfolio as rows for a spreadsheet (``samspill export``), streamed from the database.

Every exporter (CSV, XLSX, a later download button) writes these rows, so text that a
spreadsheet would run as a formula is neutralised here, once (:func:`spreadsheet_safe`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select

from workflow.queries.benefits import benefit_sums
from workflow.queries.projects import ProjectFilter, filtered, is_stalled
from workflow.runtime import Workflow
from workflow.store.tables import projects, users

COLUMNS = (
    "id",
    "definition",
    "definition_version",
    "title",
    "stage",
    "stage_title",
    "status",
    "stalled",
    "thematic_area",
    "owner",
    "owner_email",
    "created_at",
    "updated_at",
    "last_activity_at",
    # benefit realisation (issue 13): NOK per year planned, and realised (target reached)
    "benefits_planned_nok_per_year",
    "benefits_realised_nok_per_year",
)
BATCH = 1000
#: what makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: Any) -> Any:
    """``value``, with a ``'`` in front if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def portfolio_rows(
    wf: Workflow,
    filters: ProjectFilter | None = None,
    *,
    language: str = "nb",
    now: datetime | None = None,
) -> Iterator[list[Any]]:
    """Yield the header, then one row per project (oldest first), ``BATCH`` at a time."""
    now = now or wf.clock()
    yield list(COLUMNS)
    query = filtered(
        select(
            projects.c.id,
            projects.c.definition_key,
            projects.c.definition_version,
            projects.c.title,
            projects.c.stage,
            projects.c.status,
            projects.c.stale_at,
            projects.c.thematic_area,
            users.c.name,
            users.c.email,
            projects.c.created_at,
            projects.c.updated_at,
            projects.c.last_activity_at,
        ).join(users, users.c.id == projects.c.owner_id),
        filters or ProjectFilter(),
        now,
    ).order_by(projects.c.id)
    with wf.db.read() as conn:
        result = conn.execution_options(yield_per=BATCH).execute(query).mappings()
        for chunk in result.partitions(BATCH):
            # benefit realisation: one aggregate query per batch of projects
            ids = [r["id"] for r in chunk]
            sums = {s["project_id"]: s for s in benefit_sums(conn, ids)}
            for r in chunk:
                yield _row(wf, r, language, now, sums.get(r["id"]))


def _row(
    wf: Workflow,
    r: Any,
    language: str,
    now: datetime,
    benefit: dict[str, Any] | None,
) -> list[Any]:
    """One project's row."""
    spec = wf.catalog.of(r)
    row = [
        r["id"],
        r["definition_key"],
        r["definition_version"],
        r["title"],
        r["stage"],
        spec.stage(r["stage"]).title.get(language),
        r["status"],
        is_stalled(r, now),
        r["thematic_area"] or "",
        r["name"],
        r["email"],
        r["created_at"],
        r["updated_at"],
        r["last_activity_at"],
        benefit["planned_nok"] if benefit else 0,
        benefit["realised_nok"] if benefit else 0,
    ]
    return [spreadsheet_safe(v) for v in row]
