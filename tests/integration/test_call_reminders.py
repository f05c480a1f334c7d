"""Call deadline reminders: the owner of a draft application hears 30, 7 and 1 days before its
call closes, once each, through a real SMTP server; a submitted application, or a draft that is
no longer the project's current one, gets none."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

import workflow
from tests.calls_kit import OSLO, add_call
from workflow.jobs.call_reminders import call_reminder_due, remind_call_deadlines
from workflow.store.tables import applications, outbox

DEADLINE = datetime.combine(date(2026, 12, 2), time(13), tzinfo=OSLO)


def test_the_nearest_reminder_is_the_one_due():
    deadline = date(2026, 12, 2)

    assert call_reminder_due(deadline, date(2026, 10, 1)) is None  # too early
    assert call_reminder_due(deadline, date(2026, 11, 2)) == 30
    assert call_reminder_due(deadline, date(2026, 11, 20)) == 30  # caught up after downtime
    assert call_reminder_due(deadline, date(2026, 11, 25)) == 7
    assert call_reminder_due(deadline, date(2026, 12, 2)) == 1
    assert call_reminder_due(deadline, date(2026, 12, 3)) is None  # closed


def test_a_draft_gets_three_reminders_before_its_call_closes_once_each(wf, smtp, create_user):
    owner = create_user("owner", language="en")
    call = add_call(wf, deadline=DEADLINE)
    draft = workflow.create_project(wf, owner, definition="lab", title="Glatte fortau")
    workflow.create_application(wf, owner, draft, call_id=call)
    sent = workflow.create_project(wf, owner, definition="lab", title="Sendt inn")
    workflow.create_application(wf, owner, sent, call_id=call)
    with wf.db.write() as conn:  # the second one is submitted already: it needs no reminder
        conn.execute(
            update(applications).where(applications.c.project_id == sent).values(status="submitted")
        )

    start = date(2026, 10, 20)
    for n in range(50):
        as_of = datetime.combine(start + timedelta(days=n), time(6), tzinfo=OSLO)
        workflow.run_all(wf, as_of, smtp.url)
        remind_call_deadlines(wf, as_of=as_of, zone=OSLO)  # a second run queues nothing new

    subjects = [m["Subject"] for m in smtp.messages if "deadline" in m["Subject"]]
    assert subjects == [
        f"Application deadline in {days} day(s): IPO 2026 – Glatte fortau" for days in (30, 7, 1)
    ]
    assert "2026-12-02 13:00" in smtp.messages[-1].get_content()
    with wf.db.read() as conn:
        created = conn.execute(
            select(outbox.c.created_at)
            .where(outbox.c.dedupe_key.startswith("call:"))
            .order_by(outbox.c.id)
        ).scalars()
        days = [d.astimezone(OSLO).date() for d in created]
    assert days == [date(2026, 11, 2), date(2026, 11, 25), date(2026, 12, 1)]


def test_a_draft_that_is_not_the_current_application_is_not_reminded(wf, owner):
    old_call = add_call(wf, deadline=DEADLINE)
    new_call = add_call(wf, deadline=DEADLINE + timedelta(days=365))
    pid = workflow.create_project(wf, owner, definition="lab", title="Ny runde")
    workflow.create_application(wf, owner, pid, call_id=old_call)
    with wf.db.write() as conn:  # rejected, and a newer application is on its way
        conn.execute(update(applications).values(status="rejected"))
    workflow.create_application(wf, owner, pid, call_id=new_call)
    with wf.db.write() as conn:  # the older one made a draft again behind the engine's back
        conn.execute(
            update(applications).where(applications.c.call_id == old_call).values(status="draft")
        )

    report = remind_call_deadlines(wf, as_of=datetime(2026, 11, 30, 6, tzinfo=OSLO), zone=OSLO)

    assert (report.queued, report.examined) == (0, 0)
