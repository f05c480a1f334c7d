"""The public portfolio (SPEC §5 ``/open``): published projects only, and nothing personal.

Each item carries the project's title, summary, collaboration form (its definition's title),
stage, thematic area and partner organisations — never an owner, a voter, a contact or an
email — and its measured benefits (:func:`realised_benefits`): what changed, by how much.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from workflow.queries.export import spreadsheet_safe
from workflow.queries.projects import Page, _page_args
from workflow.runtime import Workflow
from workflow.store.tables import benefits, measurements, organisations, partners, projects

#: the columns of a published project the public may see (no owner, no person)
_PUBLIC = (
    projects.c.id,
    projects.c.definition_key,
    projects.c.definition_version,
    projects.c.title,
    projects.c.summary,
    projects.c.stage,
    projects.c.status,
    projects.c.thematic_area,
    projects.c.published_at,
)


def open_projects(wf: Workflow, *, page: int = 1, per_page: int = 25) -> Page:
    """One page of the published projects, newest first, each with its partner organisations
    and realised benefits, and the collaboration form and stage titles in both languages.

    Raises:
        InvalidInput: ``page`` or ``per_page`` is out of range.
    """
    page, per_page = _page_args(page, per_page)
    published = projects.c.published.is_(True)
    with wf.db.read() as conn:
        total = conn.execute(select(func.count()).select_from(projects).where(published)).scalar()
        rows = [
            dict(r)
            for r in conn.execute(
                select(*_PUBLIC)
                .where(published)
                .order_by(projects.c.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            ).mappings()
        ]
        ids = [r["id"] for r in rows]
        names = _partner_names(conn, ids)
        benefits = realised_benefits(conn, ids)
    items = []
    for row in rows:
        spec = wf.catalog.get(row["definition_key"], row["definition_version"])
        stage = spec.stage(row["stage"])
        items.append(
            {
                "id": row["id"],
                "title": row["title"],
                "summary": row["summary"],
                "definition": row["definition_key"],
                "collaboration_form": {"nb": spec.title.get("nb"), "en": spec.title.get("en")},
                "stage": row["stage"],
                "stage_title": {"nb": stage.title.get("nb"), "en": stage.title.get("en")},
                "status": row["status"],
                "thematic_area": row["thematic_area"],
                "partners": names.get(row["id"], []),
                "benefits": benefits.get(row["id"], []),
                "published_at": row["published_at"],
            }
        )
    return Page(items=items, total=int(total or 0), page=page, per_page=per_page)


def _partner_names(conn: Connection, project_ids: Sequence[int]) -> dict[int, list[str]]:
    """The partner organisations' names of each project (organisations only, never persons)."""
    if not project_ids:
        return {}
    found: dict[int, list[str]] = {}
    rows = conn.execute(
        select(partners.c.project_id, organisations.c.name)
        .join(organisations, organisations.c.id == partners.c.organisation_id)
        .where(partners.c.project_id.in_(project_ids))
        .order_by(partners.c.project_id, organisations.c.name)
    )
    for row in rows:
        found.setdefault(int(row.project_id), []).append(str(row.name))
    return found


def realised_benefits(conn: Connection, project_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Each project's measured benefits, in one query over ``project_ids``: per project a
    list of ``{"name", "indicator", "unit", "baseline", "target", "realised", "measured_on"}``
    (the newest measurement, its day as ISO text), oldest benefit first, with no person (no
    owner, no comment)."""
    if not project_ids:
        return {}
    newest = (
        select(
            measurements.c.benefit_id,
            measurements.c.value,
            measurements.c.measured_on,
            func.row_number()
            .over(
                partition_by=measurements.c.benefit_id,
                order_by=(measurements.c.measured_on.desc(), measurements.c.id.desc()),
            )
            .label("n"),
        )
        .join(benefits, benefits.c.id == measurements.c.benefit_id)
        .where(benefits.c.project_id.in_(project_ids))
        .subquery()
    )
    rows = conn.execute(
        select(
            benefits.c.project_id,
            benefits.c.description,
            benefits.c.indicator,
            benefits.c.unit,
            benefits.c.baseline_value,
            benefits.c.target_value,
            newest.c.value,
            newest.c.measured_on,
        )
        .join(newest, (newest.c.benefit_id == benefits.c.id) & (newest.c.n == 1))
        .order_by(benefits.c.project_id, benefits.c.id)
    )
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(int(row.project_id), []).append(
            {
                "name": row.description,
                "indicator": row.indicator,
                "unit": row.unit,
                "baseline": row.baseline_value,
                "target": row.target_value,
                "realised": row.value,
                "measured_on": row.measured_on.isoformat(),
            }
        )
    return found


#: the columns of the public CSV (``/open.csv``)
OPEN_COLUMNS = (
    "id",
    "title",
    "summary",
    "collaboration_form",
    "stage",
    "status",
    "thematic_area",
    "partners",
    "published_at",
)


def open_rows(wf: Workflow, *, language: str = "nb", batch: int = 100) -> Iterator[list[Any]]:
    """The public portfolio as spreadsheet rows (a header first), read a page at a time;
    text a spreadsheet would run as a formula is neutralised."""
    yield list(OPEN_COLUMNS)
    page = 1
    while True:
        result = open_projects(wf, page=page, per_page=batch)
        for item in result.items:
            yield [
                spreadsheet_safe(v)
                for v in (
                    item["id"],
                    item["title"],
                    item["summary"],
                    item["collaboration_form"][language],
                    item["stage_title"][language],
                    item["status"],
                    item["thematic_area"] or "",
                    "; ".join(item["partners"]),
                    item["published_at"].isoformat() if item["published_at"] else "",
                )
            ]
        if page >= result.pages:
            return
        page += 1
