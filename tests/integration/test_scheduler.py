"""The scheduler: the leader lease, the job times, `samspill check` and `samspill scheduler`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

import workflow
from tests.conftest import ROOT, make_workflow
from webapp.cli import main
from webapp.scheduler import Runner, build_scheduler
from workflow import SCHEDULER_LEASE, Settings, acquire_lease, release_lease
from workflow.jobs.runner import daily_slot, job_runs

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TTL = timedelta(minutes=3)


def test_a_lease_is_held_by_one_holder_until_it_runs_out(db):
    make_workflow(db)

    first = acquire_lease(db, "test", "a", now=NOW, ttl=TTL)
    other = acquire_lease(db, "test", "b", now=NOW + timedelta(minutes=1), ttl=TTL)
    renewed = acquire_lease(db, "test", "a", now=NOW + timedelta(minutes=2), ttl=TTL)
    still_held = acquire_lease(db, "test", "b", now=NOW + timedelta(minutes=4), ttl=TTL)
    expired = acquire_lease(db, "test", "b", now=NOW + timedelta(minutes=6), ttl=TTL)

    assert (first, other, renewed, still_held, expired) == (True, False, True, False, True)


def test_a_released_lease_can_be_taken_at_once(db):
    make_workflow(db)
    acquire_lease(db, "test", "a", now=NOW, ttl=TTL)

    release_lease(db, "test", "a", now=NOW)

    assert acquire_lease(db, "test", "b", now=NOW, ttl=TTL)


def test_of_many_threads_taking_a_lease_together_exactly_one_gets_it(db):
    make_workflow(db)
    start = threading.Barrier(6)
    won = []

    def take(holder):
        start.wait()
        if acquire_lease(db, "race", holder, now=NOW, ttl=TTL):
            won.append(holder)

    threads = [threading.Thread(target=take, args=(f"h{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(won) == 1


def runs(wf, job=None):
    query = select(func.count()).select_from(job_runs)
    if job:
        query = query.where(job_runs.c.job == job)
    with wf.db.read() as conn:
        return conn.execute(query).scalar_one()


def test_a_scheduler_that_is_not_the_leader_skips_its_jobs(wf):
    acquire_lease(wf.db, SCHEDULER_LEASE, "the-leader", now=wf.clock(), ttl=TTL)

    result = Runner(wf, Settings(), holder="follower").tick()

    assert result is None
    assert runs(wf) == 0


def test_the_leader_catches_up_a_missed_daily_check_once(wf):
    runner = Runner(wf, Settings(), holder="leader")

    first = runner.tick()
    second = runner.tick()

    assert [r.job for r in first] == list(workflow.DAILY_JOBS)
    assert second == []
    assert runs(wf, "stall_check") == 1


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        ("2027-03-01T05:30+00:00", "2027-03-01T06:00+01:00"),  # 06:30 in Oslo
        ("2027-03-01T04:30+00:00", "2027-02-28T06:00+01:00"),  # 05:30: yesterday's slot
        ("2027-07-01T04:00+00:00", "2027-07-01T06:00+02:00"),  # summer time
    ],
)
def test_the_daily_slot_is_the_latest_check_time_in_oslo(now, slot):
    assert daily_slot(datetime.fromisoformat(now), Settings()) == datetime.fromisoformat(slot)


def test_the_daily_checks_run_at_six_in_oslo_unless_configured(wf):
    default = build_scheduler(Runner(wf, Settings()))
    custom = build_scheduler(Runner(wf, Settings(check_time="07:30")))

    def fields(scheduler):
        trigger = scheduler.get_job("daily_checks").trigger
        return {f.name: str(f) for f in trigger.fields}, str(trigger.timezone)

    assert fields(default)[0]["hour"] == "6"
    assert fields(default)[0]["minute"] == "0"
    assert fields(default)[1] == "Europe/Oslo"
    assert fields(custom)[0]["hour"] == "7"
    assert fields(custom)[0]["minute"] == "30"
    assert default.get_job("outbox_delivery").trigger.interval == timedelta(minutes=1)


def test_a_bad_check_time_is_refused_naming_the_variable():
    with pytest.raises(workflow.InvalidInput) as caught:
        Settings.from_env({"SAMSPILL_CHECK_TIME": "25:00"})

    assert "SAMSPILL_CHECK_TIME" in caught.value.fields


def url_of(db):
    return db.engine.url.render_as_string(hide_password=False)


def test_check_twice_for_the_same_date_sends_nothing_new(wf, smtp, owner):
    workflow.create_project(
        wf, owner, definition="lab", title="Søknad", fields={"deadline": "2027-06-30"}
    )
    env = {"SAMSPILL_DATABASE_URL": url_of(wf.db), "SAMSPILL_SMTP_URL": smtp.url}
    cli = CliRunner()

    first = cli.invoke(main, ["check", "--as-of", "2027-06-23"], env=env)
    second = cli.invoke(main, ["check", "--as-of", "2027-06-23"], env=env)

    assert first.exit_code == 0, first.output
    assert "deadline reminders: 1 queued" in first.output
    assert "mail: 2 sent, 0 to retry, 0 failed" in first.output
    assert second.exit_code == 0, second.output
    assert "stall check: 0 flagged, 0 escalated" in second.output
    assert "deadline reminders: 0 queued" in second.output
    assert "mail: 0 sent" in second.output
    assert len(smtp.messages) == 2


def test_check_rejects_a_bad_date_with_one_line(wf):
    result = CliRunner().invoke(
        main, ["check", "--as-of", "2027-13-01"], env={"SAMSPILL_DATABASE_URL": url_of(wf.db)}
    )

    assert result.exit_code == 2  # click's usage error
    assert "Invalid value for '--as-of'" in result.output


def test_two_scheduler_processes_started_together_run_the_daily_checks_once(postgres_db):
    wf = make_workflow(postgres_db)
    env = dict(os.environ, SAMSPILL_DATABASE_URL=url_of(postgres_db))
    env.pop("SAMSPILL_SMTP_URL", None)
    command = [sys.executable, "-c", "from webapp.cli import main; main()", "scheduler", "--once"]

    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in processes]

    assert [p.returncode for p in processes] == [0, 0]
    assert runs(wf, "stall_check") == 1
    assert sum("stall check:" in out for out in outputs) == 1


def test_serve_starts_the_scheduler_in_process_unless_told_not_to(wf):
    from webapp import create_app

    quiet = create_app({"TESTING": True}, settings=Settings(), wf=wf)
    app = create_app({"TESTING": True, "SAMSPILL_RUN_SCHEDULER": True}, settings=Settings(), wf=wf)
    scheduler = app.extensions["samspill_scheduler"]
    jobs = {j.id for j in scheduler.get_jobs()}
    running = scheduler.running
    scheduler.shutdown(wait=True)

    assert "samspill_scheduler" not in quiet.extensions
    assert running
    assert jobs == {"daily_checks", "outbox_delivery"}
