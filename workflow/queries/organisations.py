"""The read side of partner organisations: a paginated list, the choices of a select, one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select

from workflow.definitions import ORGANISATION_TYPES
from workflow.errors import InvalidInput, NotFound, Problem
from workflow.queries.projects import MAX_PER_PAGE, Page
from workflow.runtime import Workflow
from workflow.store.fold import contains
from workflow.store.tables import Organisation, table

organisations = table(Organisation)

_COLUMNS = (
    organisations.c.id,
    organisations.c.key,
    organisations.c.name,
    organisations.c.type,
    organisations.c.description,
    organisations.c.created_at,
)


def _conditions(type: str | None, q: str | None) -> list[ColumnElement[bool]]:
    errors = {}
    if type is not None and type not in ORGANISATION_TYPES:
        errors["type"] = Problem("not_one_of", {"choices": list(ORGANISATION_TYPES)})
    if not isinstance(q, str | None) or (q and len(q) > 200):
        errors["q"] = Problem("text_too_long", {"max": 200})
    if errors:
        raise InvalidInput(errors)
    conditions: list[ColumnElement[bool]] = []
    if type:
        conditions.append(organisations.c.type == type)
    if q and q.strip():
        conditions.append(contains(organisations.c.name, q.strip()))
    return conditions


def list_organisations(
    wf: Workflow,
    *,
    type: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """One page of organisations by name (then id), optionally of one ``type`` or matching ``q``.

    Raises:
        InvalidInput: an unknown type, or a page outside the allowed range.
    """
    if not 1 <= page <= 1_000_000 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            {
                "page": Problem("number_from", {"min": 1}),
                "per_page": Problem("number_between", {"min": 1, "max": MAX_PER_PAGE}),
            }
        )
    where = _conditions(type, q)
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


def organisation_choices(wf: Workflow, *, most: int = 2000) -> list[dict[str, Any]]:
    """The first ``most`` organisations by name (id, name, type): one bounded query.

    For a select list, where paging would cost a query per page.
    """
    query = (
        select(organisations.c.id, organisations.c.name, organisations.c.type)
        .order_by(organisations.c.name, organisations.c.id)
        .limit(most)
    )
    with wf.db.read() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def get_organisation(wf: Workflow, organisation_id: int) -> dict[str, Any]:
    """One organisation as a dict.

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
    return dict(row)
