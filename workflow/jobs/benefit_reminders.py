"""Benefit measurement reminders, queued by the daily checks: to the benefit owner
(gevinsteier) 14 and 1 days before a benefit's target date, while it has no measurement on
or after that date.

Idempotent like the report reminders (:mod:`workflow.jobs.report_reminders`): each
reminder's dedupe key names the benefit, its target date and the reminder
(``benefit:<benefit>:<target>:<days before>``), and a run queues only the nearest reminder
that is due. A moved target date has reminders of its own. After the target date without a
measurement the project is flagged instead (:func:`workflow.queries.benefits.project_benefits`).
Benefits of killed projects, without an owner, or whose owner is no longer active get none.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from workflow.domain.lifecycle import KILLED
from workflow.jobs.mail.texts import render
from workflow.jobs.reminders import ReminderReport, queue_in_batches
from workflow.runtime import Workflow
from workflow.store.pipeline import Mail
from workflow.store.tables import benefits, measurements, projects, users

#: days before the target date that the benefit owner is reminded
REMIND_DAYS_BEFORE = (14, 1)

_DUE_FORMAT = {"nb": "%d.%m.%Y", "en": "%Y-%m-%d"}


def reminder_due(target_on: date, today: date) -> str | None:
    """The reminder to send on ``today`` for a benefit to be measured by ``target_on``:
    ``"14"`` or ``"1"`` (days before, the nearest one that is due), or None."""
    left = (target_on - today).days
    if left < 0:
        return None
    candidates = [d for d in REMIND_DAYS_BEFORE if d >= left]
    return str(min(candidates)) if candidates else None


def remind_benefit_owners(wf: Workflow, *, as_of: datetime, zone: ZoneInfo) -> ReminderReport:
    """Queue each benefit reminder due on ``as_of``'s date (in ``zone``) to its owner.

    Reads only the benefits whose target date lies within the reminder window, by the
    ``target_on`` index.
    """
    today = as_of.astimezone(zone).date()
    latest = today + timedelta(days=max(REMIND_DAYS_BEFORE))
    last = (
        select(func.max(measurements.c.measured_on))
        .where(measurements.c.benefit_id == benefits.c.id)
        .correlate(benefits)
        .scalar_subquery()
    )
    query = (
        select(
            benefits.c.id,
            benefits.c.description,
            benefits.c.target_on,
            benefits.c.owner_id,
            projects.c.id.label("project_id"),
            projects.c.title,
            users.c.email,
            users.c.language,
        )
        .join(projects, projects.c.id == benefits.c.project_id)
        .join(users, users.c.id == benefits.c.owner_id)
        .where(
            benefits.c.target_on.between(today, latest),
            projects.c.status != KILLED,
            users.c.is_active.is_(True),
            func.coalesce(last, date(1, 1, 1)) < benefits.c.target_on,
        )
        .order_by(benefits.c.target_on, benefits.c.id)
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
    which = reminder_due(row.target_on, today)
    if which is None:
        return None
    lang = row.language if row.language in _DUE_FORMAT else "nb"
    described = row.description if len(row.description) <= 80 else row.description[:79] + "…"
    subject, body = render(
        "benefit_due",
        lang,
        url=wf.project_url(row.project_id),
        title=row.title,
        benefit=described,
        due=row.target_on.strftime(_DUE_FORMAT[lang]),
        days=(row.target_on - today).days,
    )
    return Mail(
        row.owner_id,
        row.email,
        lang,
        subject,
        body,
        row.project_id,
        dedupe_key=f"benefit:{row.id}:{row.target_on.isoformat()}:{which}",
    )
