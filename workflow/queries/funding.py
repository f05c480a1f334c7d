"""The read side of funding: applications and success rate per call and year, the amount
granted per thematic area, and the per-call table as rows for a spreadsheet.

An application *sent* is one submitted, granted or rejected (a draft or a withdrawn one
is not); *decided* is granted or rejected; the success rate is granted / decided. Each
function runs one aggregate query (GROUP BY in the database, over the ``(call_id, status)``
index), so the cost does not grow with the number of projects; the per-year figures are
summed from the per-call rows (one per call), with the deadline's year taken in the
workflow's zone (Europe/Oslo).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select

from workflow.errors import InvalidInput, Problem
from workflow.queries.calls import YEARS
from workflow.queries.export import spreadsheet_safe
from workflow.runtime import Workflow
from workflow.store.tables import applications, calls, projects

#: the statuses of an application sent to the funder
SENT = ("submitted", "granted", "rejected")
_TALLY_FIELDS = ("submitted", "granted", "rejected", "pending", "applied_amount", "granted_amount")
#: the columns of :func:`funding_rows`
FUNDING_COLUMNS = (
    "call_id",
    "funder",
    "title",
    "year",
    "submitted",
    "granted",
    "rejected",
    "pending",
    "success_rate",
    "applied_amount",
    "granted_amount",
)


def _rate(granted: int, decided: int) -> float | None:
    return granted / decided if decided else None


@dataclass(frozen=True)
class Tally:
    """Applications sent and their outcome, with the amounts (whole NOK).

    Attributes:
        submitted: applications sent (submitted, granted or rejected).
        granted, rejected: decided ones; ``pending``: sent and not decided.
        applied_amount: the amount applied for by the applications sent.
        granted_amount: the amount granted.
    """

    submitted: int = 0
    granted: int = 0
    rejected: int = 0
    pending: int = 0
    applied_amount: int = 0
    granted_amount: int = 0

    @property
    def decided(self) -> int:
        """Granted or rejected."""
        return self.granted + self.rejected

    @property
    def success_rate(self) -> float | None:
        """Granted / decided (0..1), None while none is decided."""
        return _rate(self.granted, self.decided)


@dataclass(frozen=True)
class CallFunding(Tally):
    """One call's tally: its id, funder, title ``{nb, en}``, deadline (in the zone), year."""

    call_id: int = 0
    funder: str = ""
    title: dict[str, Any] | None = None
    deadline: datetime | None = None
    year: int = 0


@dataclass(frozen=True)
class YearFunding(Tally):
    """The tally of the calls whose deadline falls in ``year``."""

    year: int = 0


@dataclass(frozen=True)
class Funding:
    """Per call (latest deadline first) and per year (oldest first), and in all."""

    calls: list[CallFunding]
    years: list[YearFunding]
    total: Tally


@dataclass(frozen=True)
class AreaFunding:
    """Granted applications and their amount for projects of a thematic area (None: none)."""

    area: str | None
    granted: int
    granted_amount: int


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _check_year(year: int | None) -> None:
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]
    ):
        raise InvalidInput({"year": Problem("number_between", {"min": YEARS[0], "max": YEARS[1]})})


def funding_by_call(wf: Workflow, *, year: int | None = None) -> Funding:
    """Applications sent, granted, rejected and pending, the success rate and the amounts,
    per call with at least one application sent, and the same per deadline year.

    ``year`` keeps the calls whose deadline falls in it (in the workflow's zone).

    Raises:
        InvalidInput: a year out of range.
    """
    _check_year(year)
    status = applications.c.status
    tally = (
        select(
            applications.c.call_id,
            func.count().label("submitted"),
            _count(status == "granted").label("granted"),
            _count(status == "rejected").label("rejected"),
            _count(status == "submitted").label("pending"),
            func.coalesce(func.sum(applications.c.applied_amount), 0).label("applied_amount"),
            func.coalesce(
                func.sum(case((status == "granted", applications.c.granted_amount), else_=0)), 0
            ).label("granted_amount"),
        )
        .where(status.in_(SENT))
        .group_by(applications.c.call_id)
        .subquery("tally")
    )
    query = (
        select(calls.c.id, calls.c.funder, calls.c.title, calls.c.deadline, tally)
        .join(tally, tally.c.call_id == calls.c.id)
        .order_by(calls.c.deadline.desc(), calls.c.id.desc())
    )
    if year is not None:
        start = datetime.combine(date(year, 1, 1), time(0), tzinfo=wf.zone)
        end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=wf.zone)
        query = query.where(and_(calls.c.deadline >= start, calls.c.deadline < end))
    with wf.db.read() as conn:
        rows = list(conn.execute(query).mappings())
    per_call = []
    for r in rows:
        deadline = r["deadline"].astimezone(wf.zone)
        per_call.append(
            CallFunding(
                call_id=r["id"],
                funder=r["funder"],
                title=r["title"],
                deadline=deadline,
                year=deadline.year,
                **{k: int(r[k]) for k in _TALLY_FIELDS},
            )
        )
    years: dict[int, dict[str, int]] = {}
    for c in per_call:
        sums = years.setdefault(c.year, dict.fromkeys(_TALLY_FIELDS, 0))
        for k in _TALLY_FIELDS:
            sums[k] += getattr(c, k)
    total = {k: sum(getattr(c, k) for c in per_call) for k in _TALLY_FIELDS}
    return Funding(
        calls=per_call,
        years=[YearFunding(year=y, **years[y]) for y in sorted(years)],
        total=Tally(**total),
    )


def granted_by_area(wf: Workflow) -> list[AreaFunding]:
    """The granted applications and amount per thematic area of their projects, largest
    amount first; projects without an area make their own row (``area`` None), last."""
    query = (
        select(
            projects.c.thematic_area,
            func.count().label("granted"),
            func.coalesce(func.sum(applications.c.granted_amount), 0).label("granted_amount"),
        )
        .select_from(applications)
        .join(projects, projects.c.id == applications.c.project_id)
        .where(applications.c.status == "granted")
        .group_by(projects.c.thematic_area)
    )
    with wf.db.read() as conn:
        found = [
            AreaFunding(r["thematic_area"], int(r["granted"]), int(r["granted_amount"]))
            for r in conn.execute(query).mappings()
        ]
    return sorted(found, key=lambda a: (a.area is None, -a.granted_amount, a.area or ""))


def funding_rows(
    wf: Workflow, *, year: int | None = None, language: str = "nb"
) -> Iterator[list[Any]]:
    """Yield the header (:data:`FUNDING_COLUMNS`), then one row per call as
    :func:`funding_by_call` finds them, the title in ``language``; text a spreadsheet would
    run as a formula is neutralised (:func:`~workflow.queries.export.spreadsheet_safe`).
    The success rate is a fraction (0.3103), empty while none is decided."""
    yield list(FUNDING_COLUMNS)
    for c in funding_by_call(wf, year=year).calls:
        title = c.title or {}
        rate = c.success_rate
        row = [
            c.call_id,
            c.funder,
            title.get(language) or title.get("nb") or "",
            c.year,
            c.submitted,
            c.granted,
            c.rejected,
            c.pending,
            "" if rate is None else round(rate, 4),
            c.applied_amount,
            c.granted_amount,
        ]
        yield [spreadsheet_safe(v) for v in row]
