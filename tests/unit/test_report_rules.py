"""The final report's due date: one calendar month after the project's end (SPEC §2c)."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.domain.reports import (
    final_report_due,
    has_come_as_far,
    holds_payment,
    is_overdue,
    project_end_of,
)


@pytest.mark.parametrize(
    ("end", "due"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),  # SPEC: 31 January → 28 February
        (date(2027, 4, 30), date(2027, 5, 30)),  # SPEC: 30 April → 30 May
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2028, 1, 29), date(2028, 2, 29)),
        (date(2027, 1, 29), date(2027, 2, 28)),
        (date(2028, 2, 29), date(2028, 3, 29)),  # leap day
        (date(2027, 2, 28), date(2027, 3, 28)),
        (date(2027, 3, 31), date(2027, 4, 30)),
        (date(2027, 8, 31), date(2027, 9, 30)),
        (date(2027, 12, 31), date(2028, 1, 31)),  # over the new year
        (date(2027, 12, 1), date(2028, 1, 1)),
        (date(2029, 4, 30), date(2029, 5, 30)),  # the IPO 2025 call's latest end
        (date(2100, 1, 31), date(2100, 2, 28)),  # 2100 is no leap year
        (date(2000, 1, 31), date(2000, 2, 29)),  # 2000 is
        (date(2027, 6, 15), date(2027, 7, 15)),
    ],
)
def test_the_final_report_is_due_one_calendar_month_after_the_end(end, due):
    assert final_report_due(end) == due


def test_every_day_of_a_leap_and_a_common_year_gets_a_due_day_in_the_next_month():
    for year in (2027, 2028):
        day = date(year, 1, 1)
        while day.year == year:
            due = final_report_due(day)
            assert (due.year * 12 + due.month) - (day.year * 12 + day.month) == 1
            assert due.day == day.day or (due.day < day.day and (due.month != 12))
            day = date.fromordinal(day.toordinal() + 1)


def test_the_end_is_the_current_applications_planned_end_else_the_project_end_field():
    fields = {"project_end": "2027-06-30"}
    assert project_end_of({"planned_end": date(2028, 1, 31)}, fields) == date(2028, 1, 31)
    assert project_end_of(None, fields) == date(2027, 6, 30)
    assert project_end_of({"planned_end": None}, fields) == date(2027, 6, 30)
    assert project_end_of(None, {}) is None
    assert project_end_of(None, {"project_end": "not a date"}) is None


def test_report_statuses_order_overdue_and_payment():
    today = date(2027, 3, 1)
    assert has_come_as_far("approved", "delivered")
    assert not has_come_as_far("due", "delivered")
    assert is_overdue("due", date(2027, 2, 28), today)
    assert not is_overdue("due", today, today)
    assert not is_overdue("delivered", date(2027, 2, 1), today)
    assert holds_payment("progress", "delivered", date(2027, 9, 1), today)
    assert holds_payment("progress", "due", today, today)
    assert not holds_payment("progress", "due", date(2027, 9, 1), today)
    assert not holds_payment("progress", "approved", date(2027, 2, 1), today)
    assert not holds_payment("final", "delivered", date(2027, 2, 1), today)
