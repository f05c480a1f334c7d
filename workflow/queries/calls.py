"""The read side of the funders' calls: a filtered, paginated list, the choices of a
select, one call in full with the projects applying to it.

Deadlines come back as moments in the workflow's zone (Europe/Oslo), e.g. 13:00+02:00;
each call carries its ``phase`` (``open``, ``upcoming`` or ``closed``) at the moment asked.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, null, select

from workflow.domain.calls import CALL_PHASES, call_phase
from workflow.errors import InvalidInput, NotFound, Problem
from workflow.queries.projects import MAX_PER_PAGE, Page
from workflow.runtime import Workflow
from workflow.store.fold import contains
from workflow.store.tables import applications, calls, projects

_COLUMNS = tuple(calls.c)
#: the years a deadline filter accepts
YEARS = (1900, 2999)


def _check_page(page: int, per_page: int) -> None:
    if not 1 <= page <= 1_000_000 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            {
                "page": Problem("number_from", {"min": 1}),
                "per_page": Problem("number_between", {"min": 1, "max": MAX_PER_PAGE}),
            }
        )


def _phases(wf: Workflow, now: datetime) -> dict[str, ColumnElement[bool]]:
    """Each phase as a condition at ``now`` (the opening day counted in the zone)."""
    today = wf.today(now)
    return {
        "open": and_(calls.c.opens_on <= today, calls.c.deadline > now),
        "upcoming": and_(calls.c.opens_on > today, calls.c.deadline > now),
        "closed": calls.c.deadline <= now,
    }


def _ordering(wf: Workflow, now: datetime) -> list[Any]:
    """Open calls first (nearest deadline first), then upcoming ones, then closed ones
    (latest deadline first)."""
    phases = _phases(wf, now)
    rank = case((phases["open"], 0), (phases["upcoming"], 1), else_=2)
    return [
        rank,
        case((phases["closed"], null()), else_=calls.c.deadline),
        calls.c.deadline.desc(),
        calls.c.id.desc(),
    ]


def _shown(wf: Workflow, row: Any, now: datetime) -> dict[str, Any]:
    found = dict(row)
    found["deadline"] = found["deadline"].astimezone(wf.zone)
    found["phase"] = call_phase(found, now, wf.zone)
    return found


def list_calls(
    wf: Workflow,
    *,
    phase: str | None = None,
    open_now: bool | None = None,
    funder: str | None = None,
    year: int | None = None,
    now: datetime | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """One page of calls: open ones first (nearest deadline first), then upcoming, then
    closed (latest first).

    Filters: ``phase`` (``open``: opens_on ≤ today < deadline, the day taken in the
    workflow's zone, Europe/Oslo; ``upcoming``; ``closed``), ``open_now`` (True: as
    ``phase="open"``; False: not open), ``funder`` (contains, whatever the case), ``year``
    of the deadline (in the zone). ``now`` defaults to the clock.

    Raises:
        InvalidInput: an unknown phase, a year or page out of range, an overlong funder.
    """
    _check_page(page, per_page)
    errors = {}
    if phase is not None and phase not in CALL_PHASES:
        errors["phase"] = Problem("not_one_of", {"choices": list(CALL_PHASES)})
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]
    ):
        errors["year"] = Problem("number_between", {"min": YEARS[0], "max": YEARS[1]})
    if funder is not None and (not isinstance(funder, str) or len(funder) > 200):
        errors["funder"] = Problem("text_too_long", {"max": 200})
    if errors:
        raise InvalidInput(errors)
    now = now or wf.clock()
    phases = _phases(wf, now)
    where: list[ColumnElement[bool]] = []
    if phase is not None:
        where.append(phases[phase])
    if open_now is not None:
        where.append(phases["open"] if open_now else ~phases["open"])
    if funder and funder.strip():
        where.append(contains(calls.c.funder, funder.strip()))
    if year is not None:
        start = datetime.combine(date(year, 1, 1), time(0), tzinfo=wf.zone)
        end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=wf.zone)
        where.append(and_(calls.c.deadline >= start, calls.c.deadline < end))
    query = (
        select(*_COLUMNS)
        .where(*where)
        .order_by(*_ordering(wf, now))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with wf.db.read() as conn:
        total: int = conn.execute(
            select(func.count()).select_from(calls).where(*where)
        ).scalar_one()
        items = [_shown(wf, r, now) for r in conn.execute(query).mappings()]
    return Page(items, total, page, per_page)


def call_choices(
    wf: Workflow, *, most: int = 500, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The first ``most`` calls for a select: open and upcoming ones first (nearest
    deadline first), then closed ones (latest first); each with ``id``, ``funder``,
    ``title``, ``opens_on``, ``deadline`` and ``phase``. One bounded query."""
    now = now or wf.clock()
    query = (
        select(calls.c.id, calls.c.funder, calls.c.title, calls.c.opens_on, calls.c.deadline)
        .order_by(*_ordering(wf, now))
        .limit(most)
    )
    with wf.db.read() as conn:
        return [_shown(wf, r, now) for r in conn.execute(query).mappings()]


def call_applications(wf: Workflow, call_id: int, *, page: int = 1, per_page: int = 20) -> Page:
    """One page of the applications to a call, newest first: ``id``, ``status``,
    ``applied_amount``, ``submitted_at`` and the project's ``project_id``, ``title`` and
    ``project_status``."""
    _check_page(page, per_page)
    where = applications.c.call_id == call_id
    query = (
        select(
            applications.c.id,
            applications.c.status,
            applications.c.applied_amount,
            applications.c.submitted_at,
            projects.c.id.label("project_id"),
            projects.c.title,
            projects.c.status.label("project_status"),
        )
        .join(projects, projects.c.id == applications.c.project_id)
        .where(where)
        .order_by(applications.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with wf.db.read() as conn:
        total: int = conn.execute(
            select(func.count()).select_from(applications).where(where)
        ).scalar_one()
        items = [dict(r) for r in conn.execute(query).mappings()]
    return Page(items, total, page, per_page)


def get_call(
    wf: Workflow, call_id: int, *, now: datetime | None = None, per_page: int = 20
) -> dict[str, Any]:
    """One call in full, its ``phase`` at ``now`` and ``applications``: the first page of
    :func:`call_applications` (``total`` and ``items``).

    Raises:
        NotFound: there is no call with that id.
    """

    now = now or wf.clock()
    with wf.db.read() as conn:
        row = conn.execute(select(*_COLUMNS).where(calls.c.id == call_id)).mappings().first()
    if row is None:
        raise NotFound("no_call", call=call_id)
    found = _shown(wf, row, now)
    first = call_applications(wf, call_id, per_page=per_page)
    found["applications"] = {"total": first.total, "items": first.items}
    return found
