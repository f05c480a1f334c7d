"""Call deadline reminders, queued by the daily deadline check: the owner of a project whose
current application is a draft hears 30, 7 and 1 days before its call's deadline.

Idempotent like the other reminders (:mod:`workflow.jobs.reminders`): each one's dedupe key
names the application, the deadline and the reminder (``call:<application>:<deadline>:<days
before>``), and a run queues only the nearest reminder that is due, so a run after downtime
sends one mail. A moved deadline has reminders of its own. Project roles (project manager,
administrative contact) do not exist yet, so the owner is the one reminded.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from workflow.domain.lifecycle import OPEN_STATUSES
from workflow.jobs.mail.texts import render
from workflow.jobs.reminders import ReminderReport, queue_in_batches
from workflow.runtime import Workflow
from workflow.store.pipeline import Mail
from workflow.store.tables import applications, calls, projects, users

#: days before a call's deadline that the owner of a draft application is reminded
REMIND_DAYS_BEFORE = (30, 7, 1)

_DEADLINE_FORMAT = {"nb": "%d.%m.%Y kl. %H:%M", "en": "%Y-%m-%d %H:%M"}


def call_reminder_due(deadline_day: date, today: date) -> int | None:
    """The reminder (days before the deadline's day) to send on ``today``: the nearest one
    that is due, or None when the deadline has passed or none is due yet."""
    left = (deadline_day - today).days
    candidates = [d for d in REMIND_DAYS_BEFORE if d >= left]
    return min(candidates) if left >= 0 and candidates else None


def remind_call_deadlines(wf: Workflow, *, as_of: datetime, zone: ZoneInfo) -> ReminderReport:
    """Queue each call deadline reminder due on ``as_of``'s date (in ``zone``).

    Reads only the draft applications whose call closes within the window: the current
    (newest) application of an open project, by the calls' deadline index.
    """
    later = applications.alias("later")
    newest = (
        select(func.max(later.c.id))
        .where(later.c.project_id == applications.c.project_id)
        .scalar_subquery()
    )
    query = (
        select(
            applications.c.id,
            calls.c.deadline,
            calls.c.title.label("call_title"),
            projects.c.id.label("project_id"),
            projects.c.title,
            projects.c.owner_id,
            users.c.email,
            users.c.language,
        )
        .join(calls, calls.c.id == applications.c.call_id)
        .join(projects, projects.c.id == applications.c.project_id)
        .join(users, users.c.id == projects.c.owner_id)
        .where(
            calls.c.deadline > as_of,
            calls.c.deadline <= as_of + timedelta(days=max(REMIND_DAYS_BEFORE) + 1),
            applications.c.status == "draft",
            applications.c.id == newest,
            projects.c.status.in_(OPEN_STATUSES),
            users.c.is_active.is_(True),
        )
        .order_by(calls.c.deadline, applications.c.id)
    )
    today = as_of.astimezone(zone).date()
    with wf.db.read() as conn:
        rows = conn.execute(query).all()
    mail = [m for m in (_mail(wf, row, today, zone) for row in rows) if m is not None]
    queued = queue_in_batches(wf, mail, now=as_of)
    return ReminderReport(queued, len(rows))


def _mail(wf: Workflow, row: Any, today: date, zone: ZoneInfo) -> Mail | None:
    deadline = row.deadline.astimezone(zone)
    before = call_reminder_due(deadline.date(), today)
    if before is None:
        return None
    lang = row.language if row.language in _DEADLINE_FORMAT else "nb"
    title = row.call_title or {}
    subject, body = render(
        "call_deadline",
        lang,
        url=wf.project_url(row.project_id),
        title=row.title,
        call=title.get(lang) or title.get("nb") or "",
        deadline=deadline.strftime(_DEADLINE_FORMAT[lang]),
        days=(deadline.date() - today).days,
    )
    return Mail(
        row.owner_id,
        row.email,
        lang,
        subject,
        body,
        row.project_id,
        dedupe_key=f"call:{row.id}:{row.deadline.isoformat()}:{before}",
    )
