"""Follow-up reminders, queued by the daily checks: to the responsible user 7 and 1 days
before a condition of a conditional go is due, while it is open.

Idempotent like the report reminders: each reminder's dedupe key names the follow-up, its
due date and the reminder (``follow_up:<id>:<due>:<days before>``); a run queues only the
nearest reminder that is due. Follow-ups of killed projects, of reviews that did not pass,
and of users no longer active get none.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from workflow.domain.lifecycle import KILLED
from workflow.jobs.mail.texts import render
from workflow.jobs.reminders import ReminderReport, queue_in_batches
from workflow.runtime import Workflow
from workflow.store.pipeline import Mail
from workflow.store.tables import follow_ups, projects, reviews, users

#: days before the due date that the responsible user is reminded
REMIND_DAYS_BEFORE = (7, 1)

_DUE_FORMAT = {"nb": "%d.%m.%Y", "en": "%Y-%m-%d"}


def remind_follow_ups(wf: Workflow, *, as_of: datetime, zone: ZoneInfo) -> ReminderReport:
    """Queue each follow-up reminder due on ``as_of``'s date (in ``zone``).

    Reads only the open follow-ups due within the window, by the ``(closed_at, due_on)`` index.
    """
    today = as_of.astimezone(zone).date()
    latest = today + timedelta(days=max(REMIND_DAYS_BEFORE))
    query = (
        select(
            follow_ups.c.id,
            follow_ups.c.text,
            follow_ups.c.due_on,
            follow_ups.c.responsible_id,
            projects.c.id.label("project_id"),
            projects.c.title,
            users.c.email,
            users.c.language,
        )
        .join(projects, projects.c.id == follow_ups.c.project_id)
        .join(reviews, reviews.c.id == follow_ups.c.review_id)
        .join(users, users.c.id == follow_ups.c.responsible_id)
        .where(
            follow_ups.c.closed_at.is_(None),
            follow_ups.c.due_on.between(today, latest),
            reviews.c.outcome == "go",
            projects.c.status != KILLED,
            users.c.is_active.is_(True),
        )
        .order_by(follow_ups.c.due_on, follow_ups.c.id)
    )
    examined = 0
    mail: list[Mail] = []
    with wf.db.read() as conn:
        for row in conn.execute(query):
            examined += 1
            left = (row.due_on - today).days
            which = min(d for d in REMIND_DAYS_BEFORE if d >= left)
            lang = row.language if row.language in _DUE_FORMAT else "nb"
            subject, body = render(
                "follow_up_due",
                lang,
                url=wf.project_url(row.project_id),
                title=" ".join(row.title.split()),
                due=row.due_on.strftime(_DUE_FORMAT[lang]),
                days=left,
                text=row.text,
            )
            mail.append(
                Mail(
                    row.responsible_id,
                    row.email,
                    lang,
                    subject,
                    body,
                    row.project_id,
                    dedupe_key=f"follow_up:{row.id}:{row.due_on.isoformat()}:{which}",
                )
            )
    return ReminderReport(queue_in_batches(wf, mail, now=as_of), examined)
