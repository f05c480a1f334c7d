"""Which deadline reminder is due on a day: the nearest one, never one per missed day."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.definitions import Deadline, Text
from workflow.jobs.reminders import due_date, nearest_reminder

CALL = Deadline(
    key="call",
    field="application_deadline",
    label=Text(nb="Søknadsfrist", en="Application deadline"),
    remind_days_before=(30, 7, 1),
)
DUE = date(2027, 9, 30)


@pytest.mark.parametrize(
    ("today", "reminder"),
    [
        (date(2027, 8, 30), None),  # 31 days left: too early
        (date(2027, 8, 31), 30),
        (date(2027, 9, 10), 30),  # the 30-day one is still the nearest (sent once by key)
        (date(2027, 9, 23), 7),
        (date(2027, 9, 25), 7),  # after missed days: the nearest, not every missed one
        (date(2027, 9, 29), 1),
        (date(2027, 9, 30), 1),
        (date(2027, 10, 1), None),  # past due
    ],
)
def test_the_reminder_due_on_a_day_is_the_nearest_one_not_yet_passed(today, reminder):
    assert nearest_reminder(CALL, DUE, today) == reminder


def test_the_due_date_is_the_field_plus_the_offset():
    report = CALL.model_copy(update={"offset_days": 30})

    assert due_date(report, {"application_deadline": "2027-06-30"}) == date(2027, 7, 30)


@pytest.mark.parametrize(
    "fields", [{}, {"application_deadline": None}, {"application_deadline": "30.06"}]
)
def test_an_unset_or_unreadable_date_has_no_due_date(fields):
    assert due_date(CALL, fields) is None
