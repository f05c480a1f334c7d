"""Report reminders, queued by the daily checks: to the owner 14 and 1 days before a report's
due date, and once the day after it when it is still not delivered.

Idempotent like the deadline reminders (:mod:`workflow.jobs.reminders`): each reminder's
dedupe key names the report, its due date and the reminder
(``report:<report>:<due>:<days before>`` or ``…:overdue``), and a run queues only the
nearest reminder that is due, so a run after downtime sends one mail, not each one it
missed (the overdue one is caught up for a week). A moved due date has reminders of its own.
Reports of killed projects get none. The reminders go to the owner and to the users in the
project roles ``project_manager`` and ``administrative_contact`` (issue #14), each person
once however many of these they are; people no longer active get none.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, union

from workflow.domain.lifecycle import KILLED
from workflow.jobs.mail.texts import REPORT_WORDS, render
from workflow.jobs.reminders import ReminderReport, queue_in_batches
from workflow.runtime import Workflow
from workflow.services.room import REPORT_ROLES
from workflow.store.pipeline import Mail
from workflow.store.tables import project_roles, projects, reports, users

#: days before the due date that the owner is reminded
REMIND_DAYS_BEFORE = (14, 1)
#: the overdue reminder goes the day after the due date, or up to this many days later
OVERDUE_CATCH_UP = 7

_DUE_FORMAT = {"nb": "%d.%m.%Y", "en": "%Y-%m-%d"}


def reminder_due(due: date, today: date) -> str | None:
    """The reminder to send on ``today`` for a report due on ``due`` and not delivered:
    ``"14"`` or ``"1"`` (days before, the nearest one that is due), ``"overdue"`` from the
    day after, or None."""
    left = (due - today).days
    if left >= 0:
        candidates = [d for d in REMIND_DAYS_BEFORE if d >= left]
        return str(min(candidates)) if candidates else None
    return "overdue" if -left <= OVERDUE_CATCH_UP else None


def remind_reports(wf: Workflow, *, as_of: datetime, zone: ZoneInfo) -> ReminderReport:
    """Queue each report reminder due on ``as_of``'s date (in ``zone``) to the project's owner.

    Reads only the reports still due within the reminder window, by the ``(status, due_on)``
    index.
    """
    today = as_of.astimezone(zone).date()
    # who hears of a project's reports: its owner and its report roles (UNION: each once)
    recipients = union(
        select(projects.c.id.label("project_id"), projects.c.owner_id.label("user_id")),
        select(project_roles.c.project_id, project_roles.c.user_id).where(
            project_roles.c.role.in_(REPORT_ROLES)
        ),
    ).subquery()
    earliest = today - timedelta(days=OVERDUE_CATCH_UP)
    latest = today + timedelta(days=max(REMIND_DAYS_BEFORE))
    query = (
        select(
            reports.c.id,
            reports.c.kind,
            reports.c.due_on,
            projects.c.id.label("project_id"),
            projects.c.title,
            projects.c.owner_id,
            users.c.id.label("recipient_id"),
            users.c.email,
            users.c.language,
        )
        .join(projects, projects.c.id == reports.c.project_id)
        .join(recipients, recipients.c.project_id == projects.c.id)
        .join(users, users.c.id == recipients.c.user_id)
        .where(
            reports.c.status == "due",
            reports.c.due_on.between(earliest, latest),
            projects.c.status != KILLED,
            users.c.is_active.is_(True),
        )
        .order_by(reports.c.due_on, reports.c.id, users.c.id)
    )
    examined = 0
    mail: list[Mail] = []
    with wf.db.read() as conn:
        for row in conn.execute(query):
            examined += 1
            found = _mail(wf, row, today)
            if found is not None:
                mail.append(found)
    return ReminderReport(queue_in_batches(wf, mail, now=as_of), examined)


def _mail(wf: Workflow, row: Any, today: date) -> Mail | None:
    which = reminder_due(row.due_on, today)
    if which is None:
        return None
    lang = row.language if row.language in REPORT_WORDS else "nb"
    kind = REPORT_WORDS[lang][row.kind]
    subject, body = render(
        "report_overdue" if which == "overdue" else "report_due",
        lang,
        url=wf.project_url(row.project_id),
        title=row.title,
        report=kind,
        report_lower=kind.lower(),
        due=row.due_on.strftime(_DUE_FORMAT[lang]),
        days=(row.due_on - today).days,
    )
    key = f"report:{row.id}:{row.due_on.isoformat()}:{which}"
    if row.recipient_id != row.owner_id:  # the owner's key is as before
        key += f":user:{row.recipient_id}"
    return Mail(row.recipient_id, row.email, lang, subject, body, row.project_id, dedupe_key=key)
