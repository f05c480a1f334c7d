"""The read side of the organisation registry: a filtered, paginated list, the choices of
a select, one organisation in full, and the projects it takes part in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Text, cast, false, func, or_, select

from workflow.definitions import ORGANISATION_TYPES
from workflow.definitions.base import THEMATIC_AREAS
from workflow.errors import InvalidInput, NotFound, Problem
from workflow.queries.projects import MAX_PER_PAGE, Page
from workflow.runtime import Workflow
from workflow.store.fold import contains
from workflow.store.tables import (
    contacts,
    organisations,
    partners,
    projects,
)

_COLUMNS = (
    organisations.c.id,
    organisations.c.key,
    organisations.c.name,
    organisations.c.type,
    organisations.c.description,
    organisations.c.org_number,
    organisations.c.parent_id,
    organisations.c.approved_research,
    organisations.c.keywords,
    organisations.c.thematic_areas,
    organisations.c.active,
    organisations.c.confirmed,
    organisations.c.merged_into,
    organisations.c.created_at,
    organisations.c.updated_at,
)


def _check_page(page: int, per_page: int) -> None:
    if not 1 <= page <= 1_000_000 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            {
                "page": Problem("number_from", {"min": 1}),
                "per_page": Problem("number_between", {"min": 1, "max": MAX_PER_PAGE}),
            }
        )


def _json_has(column: Any, key: str) -> ColumnElement[bool]:
    """Whether a JSON list of keys (``["a_b", …]``) holds ``key``, on both databases."""
    escaped = key.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return cast(column, Text).like(f'%"{escaped}"%', escape="\\")


def _conditions(
    *,
    type: str | None,
    q: str | None,
    thematic_area: str | None,
    approved_research: bool | None,
    active: bool | None,
    confirmed: bool | None,
) -> list[ColumnElement[bool]]:
    errors = {}
    if type is not None and type not in ORGANISATION_TYPES:
        errors["type"] = Problem("not_one_of", {"choices": list(ORGANISATION_TYPES)})
    if thematic_area is not None and thematic_area not in THEMATIC_AREAS:
        errors["thematic_area"] = Problem("not_one_of", {"choices": list(THEMATIC_AREAS)})
    if not isinstance(q, str | None) or (q and len(q) > 200):
        errors["q"] = Problem("text_too_long", {"max": 200})
    if errors:
        raise InvalidInput(errors)
    conditions: list[ColumnElement[bool]] = []
    if type:
        conditions.append(organisations.c.type == type)
    if thematic_area:
        conditions.append(_json_has(organisations.c.thematic_areas, thematic_area))
    for column, wanted in (
        (organisations.c.approved_research, approved_research),
        (organisations.c.active, active),
        (organisations.c.confirmed, confirmed),
    ):
        if wanted is not None:
            conditions.append(column.is_(wanted))
    if q and q.strip():
        text = q.strip()
        conditions.append(
            or_(
                contains(organisations.c.name, text),
                contains(organisations.c.key, text),
                contains(organisations.c.description, text),
                contains(cast(organisations.c.keywords, Text), text)
                if '"' not in text and "\\" not in text
                else false(),
            )
        )
    return conditions


def list_organisations(
    wf: Workflow,
    *,
    type: str | None = None,
    q: str | None = None,
    thematic_area: str | None = None,
    approved_research: bool | None = None,
    active: bool | None = True,
    confirmed: bool | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """One page of organisations by name (then id).

    Filters: ``type``, ``thematic_area``, ``approved_research``, ``active`` (default: the
    active ones; None: all), ``confirmed`` (False: proposals awaiting a coordinator) and
    ``q``, found in the name, key, keywords or description whatever the case of any letter.

    Raises:
        InvalidInput: an unknown type or area, or a page outside the allowed range.
    """
    _check_page(page, per_page)
    where = _conditions(
        type=type,
        q=q,
        thematic_area=thematic_area,
        approved_research=approved_research,
        active=active,
        confirmed=confirmed,
    )
    query = (
        select(*_COLUMNS)
        .where(*where)
        .order_by(organisations.c.name, organisations.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with wf.db.read() as conn:
        total: int = conn.execute(
            select(func.count()).select_from(organisations).where(*where)
        ).scalar_one()
        items = [dict(r) for r in conn.execute(query).mappings()]
    return Page(items, total, page, per_page)


def organisation_choices(
    wf: Workflow, *, most: int = 2000, type: str | None = None
) -> list[dict[str, Any]]:
    """The first ``most`` active organisations by name (id, name, type, confirmed),
    optionally of one ``type``: one bounded query, for a select list, where paging would
    cost a query per page. Deactivated and merged organisations are never offered."""
    query = (
        select(
            organisations.c.id,
            organisations.c.name,
            organisations.c.type,
            organisations.c.confirmed,
        )
        .where(organisations.c.active.is_(True))
        .order_by(organisations.c.name, organisations.c.id)
        .limit(most)
    )
    if type is not None:
        query = query.where(organisations.c.type == type)
    with wf.db.read() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def get_organisation(wf: Workflow, organisation_id: int) -> dict[str, Any]:
    """One organisation in full: its fields, ``contacts`` [{name, email, role}], ``parent``
    ({id, name} or None) and ``children`` [{id, name, active}] by name.

    Raises:
        NotFound: there is no organisation with that id.
    """
    with wf.db.read() as conn:
        row = (
            conn.execute(select(*_COLUMNS).where(organisations.c.id == organisation_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound("no_organisation", organisation=organisation_id)
        found = dict(row)
        found["contacts"] = [
            dict(c)
            for c in conn.execute(
                select(contacts.c.name, contacts.c.email, contacts.c.role)
                .where(contacts.c.organisation_id == organisation_id)
                .order_by(contacts.c.id)
            ).mappings()
        ]
        parent = None
        if row["parent_id"] is not None:
            parent = (
                conn.execute(
                    select(organisations.c.id, organisations.c.name).where(
                        organisations.c.id == row["parent_id"]
                    )
                )
                .mappings()
                .first()
            )
        found["parent"] = dict(parent) if parent else None
        found["children"] = [
            dict(c)
            for c in conn.execute(
                select(organisations.c.id, organisations.c.name, organisations.c.active)
                .where(organisations.c.parent_id == organisation_id)
                .order_by(organisations.c.name, organisations.c.id)
            ).mappings()
        ]
    return found


def organisation_projects(
    wf: Workflow, organisation_id: int, *, page: int = 1, per_page: int = 25
) -> Page:
    """One page of the projects the organisation is a partner in, newest first: the
    project's id, title, status and stage and the partner's role and status."""
    _check_page(page, per_page)
    where = partners.c.organisation_id == organisation_id
    query = (
        select(
            projects.c.id,
            projects.c.title,
            projects.c.status,
            projects.c.stage,
            projects.c.definition_key,
            partners.c.role,
            partners.c.status.label("partner_status"),
        )
        .join(partners, partners.c.project_id == projects.c.id)
        .where(where)
        .order_by(projects.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with wf.db.read() as conn:
        total: int = conn.execute(
            select(func.count()).select_from(partners).where(where)
        ).scalar_one()
        items = [dict(r) for r in conn.execute(query).mappings()]
    return Page(items, total, page, per_page)
