"""Scheduled jobs: the daily checks and outbox delivery, each run recorded in ``job_runs``.

The daily checks are the stall check, deadline reminders (dated fields and the calls of
draft applications), review digests, report, follow-up and benefit reminders, and the sweep
of stored files no attachment refers to, run ``as_of`` a moment (the
scheduler's 06:00 slot, or ``samspill check --as-of``). Every job is idempotent for a given
``as_of``, so running it twice queues nothing new. A failing job is
recorded as not ok and does not stop the jobs after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, insert, select, update

from workflow.jobs.benefit_reminders import remind_benefit_owners
from workflow.jobs.call_reminders import remind_call_deadlines
from workflow.jobs.file_cleanup import remove_orphan_files
from workflow.jobs.follow_up_reminders import remind_follow_ups
from workflow.jobs.lease import new_holder
from workflow.jobs.mail.outbox import deliver
from workflow.jobs.reminders import remind_deadlines, remind_reviewers
from workflow.jobs.report_reminders import remind_reports
from workflow.jobs.stalls import flag_stalled
from workflow.runtime import Settings, Workflow
from workflow.store.tables import job_runs

log = logging.getLogger(__name__)


STALL_CHECK = "stall_check"
DEADLINE_REMINDERS = "deadline_reminders"
REVIEW_DIGESTS = "review_digests"
OUTBOX_DELIVERY = "outbox_delivery"
REPORT_REMINDERS = "report_reminders"
FOLLOW_UP_REMINDERS = "follow_up_reminders"
BENEFIT_REMINDERS = "benefit_reminders"  # benefit realisation (issue 13)
FILE_CLEANUP = "file_cleanup"  # stored files no attachment refers to (issue 14)
#: the daily checks, in the order they run
DAILY_JOBS = (
    STALL_CHECK,
    DEADLINE_REMINDERS,
    REVIEW_DIGESTS,
    REPORT_REMINDERS,
    FOLLOW_UP_REMINDERS,
    BENEFIT_REMINDERS,
    FILE_CLEANUP,
)


@dataclass(frozen=True)
class JobResult:
    """The outcome of one job run: its name, whether it succeeded, and what it did."""

    job: str
    ok: bool
    summary: dict[str, Any]


def record(
    wf: Workflow, job: str, *, as_of: datetime, action: Callable[[], dict[str, Any]]
) -> JobResult:
    """Run ``action`` as the job ``job`` and record the run in ``job_runs``.

    The run is recorded as started before ``action`` begins, and finished with its summary
    (or the error) after.

    Returns:
        Whether the action succeeded and the summary it returned (or ``{"error": …}``).
    """
    with wf.db.write() as conn:
        run_id: int = conn.execute(
            insert(job_runs)
            .values(job=job, started_at=wf.clock(), as_of=as_of, summary={})
            .returning(job_runs.c.id)
        ).scalar_one()
    try:
        summary, ok = action(), True
    # any failure is recorded and logged, and must not keep the next jobs from running
    except Exception as exc:
        log.exception("job %s (as of %s) failed", job, as_of.isoformat())
        summary, ok = {"error": f"{type(exc).__name__}: {exc}"[:1000]}, False
    with wf.db.write() as conn:
        conn.execute(
            update(job_runs)
            .where(job_runs.c.id == run_id)
            .values(finished_at=wf.clock(), ok=ok, summary=summary)
        )
    return JobResult(job, ok, summary)


def _deadlines(wf: Workflow, as_of: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """The deadline reminders: dated fields' and calls' (for draft applications)."""
    fields = remind_deadlines(wf, as_of=as_of, zone=zone)
    call = remind_call_deadlines(wf, as_of=as_of, zone=zone)
    return {
        "queued": fields.queued + call.queued,
        "examined": fields.examined + call.examined,
        "calls_queued": call.queued,
    }


def run_checks(wf: Workflow, *, as_of: datetime, settings: Settings) -> list[JobResult]:
    """Run the daily checks as of ``as_of``: stalls, deadline reminders, review digests,
    report reminders."""
    return [
        record(
            wf, STALL_CHECK, as_of=as_of, action=lambda: flag_stalled(wf, as_of=as_of).as_dict()
        ),
        record(
            wf,
            DEADLINE_REMINDERS,
            as_of=as_of,
            action=lambda: _deadlines(wf, as_of, settings.zone),
        ),
        record(
            wf,
            REVIEW_DIGESTS,
            as_of=as_of,
            action=lambda: remind_reviewers(
                wf, as_of=as_of, days=settings.review_reminder_days
            ).as_dict(),
        ),
        record(
            wf,
            REPORT_REMINDERS,
            as_of=as_of,
            action=lambda: remind_reports(wf, as_of=as_of, zone=settings.zone).as_dict(),
        ),
        record(
            wf,
            FOLLOW_UP_REMINDERS,
            as_of=as_of,
            action=lambda: remind_follow_ups(wf, as_of=as_of, zone=settings.zone).as_dict(),
        ),
        # benefit realisation (issue 13)
        record(
            wf,
            BENEFIT_REMINDERS,
            as_of=as_of,
            action=lambda: remind_benefit_owners(wf, as_of=as_of, zone=settings.zone).as_dict(),
        ),
        record(
            wf,
            FILE_CLEANUP,
            as_of=as_of,
            action=lambda: remove_orphan_files(wf, settings.file_store(), as_of=as_of).as_dict(),
        ),
    ]


def run_delivery(
    wf: Workflow,
    smtp_url: str | None,
    *,
    now: datetime,
    settings: Settings,
    worker_id: str | None = None,
    record_idle: bool = True,
) -> JobResult | None:
    """Deliver the outbox as a recorded job.

    Args:
        record_idle: False records the run only if it handled any message (the
            scheduler delivers every minute); None is returned for an idle run then.
    """
    worker = worker_id or new_holder()
    if not record_idle:
        report = deliver(wf, smtp_url, now=now, worker_id=worker, mail_from=settings.mail_from)
        if not report.attempted:
            return None
        summary = report.as_dict()
        return record(wf, OUTBOX_DELIVERY, as_of=now, action=lambda: summary)
    return record(
        wf,
        OUTBOX_DELIVERY,
        as_of=now,
        action=lambda: deliver(
            wf, smtp_url, now=now, worker_id=worker, mail_from=settings.mail_from
        ).as_dict(),
    )


def run_all(
    wf: Workflow,
    as_of: datetime,
    smtp_url: str | None,
    *,
    settings: Settings | None = None,
    worker_id: str | None = None,
) -> list[JobResult]:
    """Run every job once as of ``as_of``: the daily checks, then outbox delivery.

    Delivery counts time from ``as_of`` or the clock, whichever is later, so that a
    catch-up run for a past date still sends what is due now.

    Args:
        wf: the workflow to check.
        as_of: the moment to act as if it were.
        smtp_url: where to send mail; None logs it and keeps it in the outbox.
        settings: time zone, review reminder days and sender (default: the defaults).
        worker_id: names this deliverer in its outbox claims.
    """
    settings = settings or Settings()
    results = run_checks(wf, as_of=as_of, settings=settings)
    now = max(as_of, wf.clock())
    delivery = run_delivery(wf, smtp_url, now=now, settings=settings, worker_id=worker_id)
    return [*results, *([delivery] if delivery else [])]


def daily_slot(now: datetime, settings: Settings) -> datetime:
    """The latest daily check time (``check_time`` in the local zone) at or before ``now``."""
    hour, minute = settings.check_hour_minute
    local = now.astimezone(settings.zone)
    slot = datetime.combine(local.date(), time(hour, minute), tzinfo=settings.zone)
    if slot > local:
        slot = datetime.combine(
            local.date() - timedelta(days=1), time(hour, minute), tzinfo=settings.zone
        )
    return slot


def daily_done(wf: Workflow, slot: datetime) -> bool:
    """Whether the daily checks have run (or started) for the slot ``slot``."""
    with wf.db.read() as conn:
        return bool(
            conn.execute(
                select(exists().where(job_runs.c.job == STALL_CHECK, job_runs.c.as_of == slot))
            ).scalar()
        )


def run_daily_if_due(wf: Workflow, *, now: datetime, settings: Settings) -> list[JobResult]:
    """Run the daily checks for the latest slot at or before ``now`` unless they ran for it.

    The scheduler calls this at the check time and every minute, so a slot missed while
    no scheduler ran (or while another held the lease and died) is caught up once.
    """
    slot = daily_slot(now, settings)
    if daily_done(wf, slot):
        return []
    return run_checks(wf, as_of=slot, settings=settings)
