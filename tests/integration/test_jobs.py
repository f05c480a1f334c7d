"""The daily jobs: deadline reminders, review digests, and run_all as the scheduler runs it."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, true

import workflow
from tests.conftest import GO
from workflow import Settings
from workflow.jobs.reminders import remind_deadlines, remind_reviewers
from workflow.jobs.runner import job_runs
from workflow.store.tables import outbox

OSLO = ZoneInfo("Europe/Oslo")


def morning(day: date) -> datetime:
    """06:00 in Oslo on ``day``, as the daily checks run."""
    return datetime.combine(day, time(6), tzinfo=OSLO)


def keys(wf, prefix=""):
    with wf.db.read() as conn:
        found = conn.execute(
            select(outbox.c.dedupe_key)
            .where(outbox.c.dedupe_key.startswith(prefix))
            .order_by(outbox.c.id)
        )
        return list(found.scalars())


def mail_to(wf, email, prefix=""):
    with wf.db.read() as conn:
        found = conn.execute(
            select(outbox.c.subject, outbox.c.body).where(
                outbox.c.recipient_email == email,
                outbox.c.dedupe_key.startswith(prefix) if prefix else true(),
            )
        )
        return found.all()


@pytest.fixture
def dated_project(wf, owner):
    """A lab project whose deadline field is 30 June 2027 (reminders 7 and 1 days before)."""
    return workflow.create_project(
        wf, owner, definition="lab", title="Søknad", fields={"deadline": "2027-06-30"}
    )


def test_a_deadline_reminder_is_queued_to_the_owner_on_its_day_and_only_once(
    wf, owner, dated_project
):
    before = remind_deadlines(wf, as_of=morning(date(2027, 6, 22)), zone=OSLO)
    on_the_day = remind_deadlines(wf, as_of=morning(date(2027, 6, 23)), zone=OSLO)
    again = remind_deadlines(wf, as_of=morning(date(2027, 6, 23)), zone=OSLO)

    assert (before.queued, on_the_day.queued, again.queued) == (0, 1, 0)
    assert keys(wf) == [f"deadline:{dated_project}:due:2027-06-30:7"]
    [(subject, body)] = mail_to(wf, owner.email)
    assert subject == "Frist om 7 dag(er): Frist – Søknad"
    assert "30.06.2027" in body
    assert f"http://samspill.test/projects/{dated_project}" in body


def test_after_missed_reminder_days_only_the_nearest_reminder_is_sent(wf, dated_project):
    remind_deadlines(wf, as_of=morning(date(2027, 6, 29)), zone=OSLO)
    remind_deadlines(wf, as_of=morning(date(2027, 6, 30)), zone=OSLO)

    assert keys(wf) == [f"deadline:{dated_project}:due:2027-06-30:1"]


def test_no_reminders_once_the_deadline_has_passed(wf, dated_project):
    report = remind_deadlines(wf, as_of=morning(date(2027, 7, 1)), zone=OSLO)

    assert report.queued == 0


def test_a_moved_deadline_gets_reminders_of_its_own(wf, owner, dated_project):
    remind_deadlines(wf, as_of=morning(date(2027, 6, 23)), zone=OSLO)
    view = workflow.get_project(wf, dated_project)
    workflow.update_project(
        wf,
        owner,
        dated_project,
        expected_version=view.project["version"],
        fields={"deadline": "2027-06-25"},
    )

    remind_deadlines(wf, as_of=morning(date(2027, 6, 24)), zone=OSLO)

    assert keys(wf, "deadline:") == [
        f"deadline:{dated_project}:due:2027-06-30:7",
        f"deadline:{dated_project}:due:2027-06-25:1",
    ]


def test_closed_projects_get_no_deadline_reminders(wf, owner, kommune, ready_project):
    view = workflow.get_project(wf, ready_project)
    workflow.update_project(
        wf,
        owner,
        ready_project,
        expected_version=view.project["version"],
        fields={"deadline": "2027-06-30"},
    )
    workflow.submit_project(wf, owner, ready_project)
    workflow.decide_gate(wf, kommune, ready_project, decision="kill", comment="Nei")

    report = remind_deadlines(wf, as_of=morning(date(2027, 6, 29)), zone=OSLO)

    assert (report.queued, report.examined) == (0, 0)


def ready(wf, owner, research_org, title):
    pid = workflow.create_project(
        wf,
        owner,
        definition="lab",
        title=title,
        fields={"need": "Et behov", "budget": 1000, "own_share": 600},
    )
    workflow.set_checklist_item(wf, owner, pid, "need_described", True)
    workflow.add_partner(wf, owner, pid, organisation_id=research_org, role="FoU")
    workflow.submit_project(wf, owner, pid)
    return pid


def test_each_gatekeeper_gets_one_digest_listing_every_review_waiting_for_their_vote(
    wf, owner, kommune, ntnu, research_org
):
    first = ready(wf, owner, research_org, "Første")
    second = ready(wf, owner, research_org, "Andre")
    soon = wf.clock() + timedelta(days=2)
    later = wf.clock() + timedelta(days=4)

    too_soon = remind_reviewers(wf, as_of=soon, days=3)
    report = remind_reviewers(wf, as_of=later, days=3)
    again = remind_reviewers(wf, as_of=later + timedelta(days=1), days=3)

    assert (too_soon.queued, report.queued, again.queued) == (0, 2, 0)
    for gatekeeper in (kommune, ntnu):
        [(subject, body)] = mail_to(wf, gatekeeper.email, "review_digest:")
        assert subject == "2 prosjekt(er) venter på din beslutning"
        assert "Første (Idévurdering, venter i 4 dager)" in body
        assert f"http://samspill.test/projects/{first}" in body
        assert f"http://samspill.test/projects/{second}" in body


def test_a_gatekeeper_who_has_voted_is_not_reminded(wf, kommune, ntnu, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)

    report = remind_reviewers(wf, as_of=wf.clock() + timedelta(days=4), days=3)

    assert report.queued == 1
    assert mail_to(wf, kommune.email, "review_digest:") == []
    assert len(mail_to(wf, ntnu.email, "review_digest:")) == 1


def count_runs(wf, job):
    with wf.db.read() as conn:
        return conn.execute(
            select(func.count()).select_from(job_runs).where(job_runs.c.job == job)
        ).scalar_one()


def test_run_all_records_every_job_and_a_second_run_queues_nothing(wf, smtp, dated_project):
    as_of = morning(date(2027, 6, 23))

    first = workflow.run_all(wf, as_of, smtp.url)
    second = workflow.run_all(wf, as_of, smtp.url)

    assert [r.job for r in first] == [*workflow.DAILY_JOBS, "outbox_delivery"]
    assert all(r.ok for r in first + second)
    assert first[1].summary["queued"] == 1
    assert second[1].summary["queued"] == 0
    assert first[-1].summary["sent"] == 2  # the deadline reminder and the stall notice
    assert second[-1].summary["sent"] == 0
    assert len(smtp.messages) == 2
    assert count_runs(wf, "deadline_reminders") == 2


def test_a_failing_job_is_recorded_and_the_others_still_run(wf, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("workflow.jobs.runner.remind_deadlines", broken)

    results = workflow.run_all(wf, morning(date(2027, 6, 23)), None)

    assert [r.ok for r in results] == [True, False, *[True] * (len(workflow.DAILY_JOBS) - 1)]
    assert results[1].summary == {"error": "RuntimeError: disk full"}
    with wf.db.read() as conn:
        ok, finished = conn.execute(
            select(job_runs.c.ok, job_runs.c.finished_at).where(
                job_runs.c.job == "deadline_reminders"
            )
        ).one()
    assert ok is False
    assert finished is not None


# 365 runs of every daily job cost a minute on two busy cores; the jobs' SQL is the same on
# both databases and their idempotency is tested on both above, so the year runs on SQLite
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_simulated_year_of_daily_runs_delivers_each_reminder_exactly_once(
    wf, smtp, create_user, research_org, tmp_path
):
    start = date(2027, 1, 1)
    clock = [morning(start)]
    wf.clock = lambda: clock[0]
    owner = create_user("owner", language="en")
    kommune = create_user("gatekeeper", group="kommune")
    for title, deadline in [("A", "2027-03-15"), ("B", "2027-09-30"), ("C", "2028-02-01")]:
        workflow.create_project(
            wf, owner, definition="lab", title=title, fields={"deadline": deadline}
        )
    ready(wf, owner, research_org, "D")
    # a store of its own: the daily sweep lists it 365 times
    settings = Settings(review_reminder_days=3, uploads=str(tmp_path / "uploads"))

    for n in range(365):
        clock[0] = morning(start + timedelta(days=n))
        workflow.run_all(wf, clock[0], smtp.url, settings=settings)

    subjects = Counter((m["To"], m["Subject"]) for m in smtp.messages)
    assert max(subjects.values()) == 1
    reminders = sorted(s for _, s in subjects if s.startswith("Deadline"))
    assert reminders == [
        "Deadline in 1 day(s): Deadline – A",
        "Deadline in 1 day(s): Deadline – B",
        "Deadline in 7 day(s): Deadline – A",
        "Deadline in 7 day(s): Deadline – B",
    ]
    assert sum(1 for to, s in subjects if to == kommune.email and "venter" in s) == 1
    with wf.db.read() as conn:
        statuses = dict(
            conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status)).all()
        )
    assert statuses == {"sent": len(smtp.messages)}
    assert count_runs(wf, "stall_check") == 365


def test_times_are_stored_in_utc(wf):
    results = workflow.run_all(wf, datetime(2027, 1, 1, 5, tzinfo=UTC), None)

    with wf.db.read() as conn:
        as_of = conn.execute(select(job_runs.c.as_of).limit(1)).scalar_one()
    assert as_of == datetime(2027, 1, 1, 5, tzinfo=UTC)
    assert len(results) == len(workflow.DAILY_JOBS) + 1


def test_a_project_first_seen_past_twice_its_sla_is_flagged_and_escalated_in_one_run(
    wf, kommune, ready_project
):
    as_of = wf.clock() + timedelta(days=25)

    first = workflow.flag_stalled(wf, as_of=as_of)
    again = workflow.flag_stalled(wf, as_of=as_of)

    assert (first.flagged, first.escalated) == ([ready_project], [ready_project])
    assert (again.flagged, again.escalated) == ([], [])
    actions = [e["action"] for e in workflow.project_events(wf, ready_project)]
    assert actions[-2:] == ["stalled", "escalated"]
    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []
