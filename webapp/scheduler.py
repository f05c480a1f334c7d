"""The scheduler: daily checks at ``SAMSPILL_CHECK_TIME`` and outbox delivery every minute.

APScheduler 3 runs the jobs; ``samspill scheduler`` in the foreground (a
``BlockingScheduler``), ``samspill serve`` in a background thread of the web process.
Several schedulers may run (several web workers, or a spare): every job first takes the
database lease ``scheduler`` and skips its run if another process holds it, so only one
acts at a time. The minutely job also runs the daily checks if their slot was missed
(no scheduler was up at 06:00, or the leader died), once per slot.
"""

from __future__ import annotations

import atexit
import logging
import threading
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

import workflow
from workflow import JobResult, Settings, Workflow

log = logging.getLogger(__name__)

#: how long the leader keeps the lease without renewing it (the minutely job renews it)
LEASE_TTL = timedelta(minutes=3)


class Runner:
    """The scheduler's jobs, each guarded by the database lease."""

    def __init__(self, wf: Workflow, settings: Settings, *, holder: str | None = None) -> None:
        self.wf = wf
        self.settings = settings
        self.holder = holder or workflow.new_holder()
        # the cron job and the minutely catch-up may fire together in one process
        self._daily = threading.Lock()

    def is_leader(self) -> bool:
        """Take or renew the lease; False if another scheduler holds it."""
        leader = workflow.acquire_lease(
            self.wf.db, workflow.SCHEDULER_LEASE, self.holder, now=self.wf.clock(), ttl=LEASE_TTL
        )
        if not leader:
            log.debug("scheduler %s: another scheduler holds the lease; skipping", self.holder)
        return leader

    def daily(self) -> list[JobResult]:
        """Run the daily checks for the latest slot unless they ran for it already."""
        if not self.is_leader() or not self._daily.acquire(blocking=False):
            return []
        try:
            results = workflow.run_daily_if_due(
                self.wf, now=self.wf.clock(), settings=self.settings
            )
        finally:
            self._daily.release()
        for result in results:
            log.info("%s: %s %s", result.job, "ok" if result.ok else "FAILED", result.summary)
        return results

    def tick(self) -> list[JobResult] | None:
        """Every minute: catch up a missed daily slot, then deliver due mail.

        Returns:
            What ran (idle delivery is not listed), or None if another scheduler leads.
        """
        if not self.is_leader():
            return None
        results = self.daily()
        delivery = workflow.run_delivery(
            self.wf,
            self.settings.smtp_url,
            now=self.wf.clock(),
            settings=self.settings,
            worker_id=self.holder,
            record_idle=False,
        )
        return [*results, *([delivery] if delivery else [])]

    def release(self) -> None:
        """Give up the lease so another scheduler can take over at once."""
        workflow.release_lease(
            self.wf.db, workflow.SCHEDULER_LEASE, self.holder, now=self.wf.clock()
        )


def build_scheduler(runner: Runner, *, blocking: bool = False) -> BaseScheduler:
    """An APScheduler with the daily checks at the check time and delivery every minute."""
    zone = runner.settings.zone
    hour, minute = runner.settings.check_hour_minute
    scheduler: BaseScheduler = (BlockingScheduler if blocking else BackgroundScheduler)(
        timezone=zone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduler.add_job(
        runner.daily,
        CronTrigger(hour=hour, minute=minute, timezone=zone),
        id="daily_checks",
        name="stall check, deadline reminders, review digests",
    )
    scheduler.add_job(
        runner.tick,
        IntervalTrigger(minutes=1, timezone=zone),
        id="outbox_delivery",
        name="outbox delivery (and a missed daily slot)",
        next_run_time=datetime.now(zone),
    )
    return scheduler


def start_in_app(app: Flask) -> BackgroundScheduler:
    """Run the scheduler in a background thread of the web process until it exits."""
    runner = Runner(app.extensions["samspill"], app.config["SAMSPILL_SETTINGS"])
    scheduler = build_scheduler(runner)
    assert isinstance(scheduler, BackgroundScheduler)
    scheduler.start()
    app.extensions["samspill_scheduler"] = scheduler

    def stop() -> None:
        if scheduler.running:  # not already stopped by whoever started the app
            scheduler.shutdown(wait=False)
            runner.release()

    atexit.register(stop)
    return scheduler
