"""Reports a project owes its funder: the final report's due date and how far a report is.

Pure rules, no I/O (SPEC §2c; DOMAIN §8: "Sluttrapporten skal sendes senest én måned etter at
prosjektet er slutt" — one calendar month, not 30 days).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import Any

from workflow.domain.values import as_day

#: a report's kinds: progress reports (framdriftsrapporter) and the final report (sluttrapport)
REPORT_KINDS = ("progress", "final")
#: a report's statuses, in the order a report moves: only a delivered report can be approved
REPORT_STATUSES = ("due", "delivered", "approved")
#: the date fields a project without an application names its start and end with
PROJECT_START_FIELD = "project_start"
PROJECT_END_FIELD = "project_end"


def final_report_due(project_end: date) -> date:
    """The day the final report is due: one calendar month after ``project_end``.

    The same day of the next month, or that month's last day when it is shorter
    (31 January → 28 February, 29 February 2028 → 29 March 2028, 31 December → 31 January).
    """
    # months counted from year 0 (0-based): the end's month plus one
    year, month0 = divmod(project_end.year * 12 + project_end.month, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(project_end.day, last))


def project_end_of(
    current_application: Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> date | None:
    """The project's end date: its current application's ``planned_end`` where that is set,
    else the date field ``project_end``, else None."""
    if current_application is not None:
        planned = as_day(current_application.get("planned_end"))
        if planned is not None:
            return planned
    return as_day(fields.get(PROJECT_END_FIELD))


def project_start_of(
    current_application: Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> date | None:
    """The project's start date: its current application's ``planned_start`` where that is
    set, else the date field ``project_start``, else None."""
    if current_application is not None:
        planned = as_day(current_application.get("planned_start"))
        if planned is not None:
            return planned
    return as_day(fields.get(PROJECT_START_FIELD))


def has_come_as_far(status: str, needed: str) -> bool:
    """Whether a report in ``status`` has come at least as far as ``needed``."""
    return REPORT_STATUSES.index(status) >= REPORT_STATUSES.index(needed)


def is_overdue(status: str, due_on: date, today: date) -> bool:
    """Whether a report is overdue: its day has passed and it is not delivered."""
    return status == "due" and due_on < today


def holds_payment(kind: str, status: str, due_on: date, today: date) -> bool:
    """Whether a report holds back the funder's payment: a progress report that is delivered
    and awaits approval, or whose day has come and is not delivered (DOMAIN §8: progress
    reports must be approved before payment)."""
    if kind != "progress" or status == "approved":
        return False
    return status == "delivered" or due_on <= today
