"""Reports: add, deliver, approve; the final report's derived day; after completion; the
requirement kind; the overdue list (SPEC §2c, §4b)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select, update

import workflow
from tests.conftest import make_workflow
from workflow import (
    Duplicate,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleVersion,
    TransitionNotAllowed,
)
from workflow.jobs.report_reminders import remind_reports
from workflow.store.tables import applications, calls, events, outbox, projects

REPORTING = """
key: rep
version: 1
title: {nb: Rapportering, en: Reporting}
description: {nb: Til tester., en: For tests.}
fields:
  - {key: project_end, type: date, label: {nb: Prosjektslutt, en: Project end}}
stages:
  - key: run
    title: {nb: Gjennomføre, en: Run}
    sla_days: 90
    guidance: {nb: Rapporter., en: Report.}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - key: close
    from: run
    to: done
    title: {nb: Avslutning, en: Close}
    requires:
      reports: {final: approved}
"""


def add_application(wf, project_id: int, planned_end: date | None) -> int:
    """An application of the project (the newest is its current one), straight into the table."""
    with wf.db.write() as conn:
        call_id = conn.execute(select(calls.c.id).limit(1)).scalar()
        if call_id is None:
            call_id = conn.execute(
                insert(calls)
                .values(
                    funder="Forskningsrådet",
                    title={"nb": "IPO", "en": "IPO"},
                    opens_on=date(2026, 8, 13),
                    deadline=datetime(2026, 9, 24, 11, tzinfo=UTC),
                )
                .returning(calls.c.id)
            ).scalar_one()
        return int(
            conn.execute(
                insert(applications)
                .values(project_id=project_id, call_id=call_id, planned_end=planned_end)
                .returning(applications.c.id)
            ).scalar_one()
        )


def set_fields(wf, project_id: int, fields: dict) -> None:
    with wf.db.write() as conn:
        conn.execute(update(projects).where(projects.c.id == project_id).values(fields=fields))


def set_status(wf, project_id: int, status: str) -> None:
    with wf.db.write() as conn:
        conn.execute(update(projects).where(projects.c.id == project_id).values(status=status))


@pytest.fixture
def project(wf, owner) -> int:
    return workflow.create_project(wf, owner, definition="lab", title="Hjemmeoppfølging")


@pytest.fixture
def rep(db, tmp_path: Path):
    (tmp_path / "rep.yaml").write_text(REPORTING, encoding="utf-8")
    return make_workflow(db, tmp_path)


def test_a_progress_report_is_due_on_its_day_delivered_then_approved(
    wf, owner, coordinator, project
):
    rid = workflow.add_report(wf, owner, project, kind="progress", due_on=date(2027, 3, 1))
    version = workflow.deliver_report(wf, owner, project, rid, note="Alt etter plan")
    workflow.approve_report(wf, coordinator, project, rid, expected_version=version)

    found = workflow.project_reports(wf, project)
    (report,) = found.items
    assert report["status"] == "approved"
    assert report["delivered_on"] == report["approved_on"] == date(2026, 11, 2)
    assert report["approved_by"] == coordinator.id
    assert report["approved_by_name"] == coordinator.name
    assert report["note"] == "Alt etter plan"
    assert found.version == 4
    with wf.db.read() as conn:
        actions = conn.execute(
            select(events.c.action).where(events.c.project_id == project).order_by(events.c.seq)
        ).scalars()
        assert list(actions) == ["created", "report_added", "report_delivered", "report_approved"]


def test_only_a_delivered_report_can_be_approved_and_only_a_due_one_delivered(
    wf, owner, coordinator, project
):
    rid = workflow.add_report(wf, owner, project, kind="progress", due_on="2027-03-01")
    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.approve_report(wf, coordinator, project, rid)
    assert refused.value.problem.code == "report_not_delivered"
    workflow.deliver_report(wf, owner, project, rid)
    with pytest.raises(TransitionNotAllowed) as again:
        workflow.deliver_report(wf, owner, project, rid)
    assert again.value.problem.code == "report_not_due"
    workflow.approve_report(wf, coordinator, project, rid)
    with pytest.raises(TransitionNotAllowed):
        workflow.approve_report(wf, coordinator, project, rid)


def test_who_may_add_deliver_and_approve(
    wf, owner, other_owner, coordinator, kommune, admin, project
):
    with pytest.raises(PermissionDenied):
        workflow.add_report(wf, other_owner, project, kind="progress", due_on="2027-03-01")
    rid = workflow.add_report(wf, coordinator, project, kind="progress", due_on="2027-03-01")
    with pytest.raises(PermissionDenied) as not_owner:
        workflow.deliver_report(wf, other_owner, project, rid)
    assert not_owner.value.problem.code == "not_owner"
    with pytest.raises(PermissionDenied):
        workflow.deliver_report(wf, coordinator, project, rid)
    workflow.deliver_report(wf, owner, project, rid)
    for nobody in (owner, kommune):
        with pytest.raises(PermissionDenied) as denied:
            workflow.approve_report(wf, nobody, project, rid)
        assert denied.value.problem.code == "coordinators_approve_reports"
    workflow.approve_report(wf, admin, project, rid)


def test_a_coordinator_does_not_approve_the_reports_of_their_own_project(wf, coordinator):
    pid = workflow.create_project(wf, coordinator, definition="lab", title="Eget")
    rid = workflow.add_report(wf, coordinator, pid, kind="progress", due_on="2027-03-01")
    workflow.deliver_report(wf, coordinator, pid, rid)
    with pytest.raises(PermissionDenied) as denied:
        workflow.approve_report(wf, coordinator, pid, rid)
    assert denied.value.problem.code == "owner_cannot_approve_report"


def test_a_final_report_is_due_a_calendar_month_after_the_current_applications_end(
    wf, owner, project
):
    add_application(wf, project, date(2027, 12, 31))
    current = add_application(wf, project, date(2029, 4, 30))  # the newest is current
    assert workflow.project_reports(wf, project).final_due_on == date(2029, 5, 30)

    rid = workflow.add_report(wf, owner, project, kind="final")

    (report,) = workflow.project_reports(wf, project).items
    assert (report["id"], report["due_on"]) == (rid, date(2029, 5, 30))
    assert report["application_id"] == current
    with pytest.raises(Duplicate) as twice:
        workflow.add_report(wf, owner, project, kind="final")
    assert twice.value.fields["kind"].code == "final_report_exists"


def test_without_an_application_the_final_report_follows_the_project_end_field(wf, owner, project):
    set_fields(wf, project, {"project_end": "2027-01-31"})
    workflow.add_report(wf, owner, project, kind="final")
    (report,) = workflow.project_reports(wf, project).items
    assert report["due_on"] == date(2027, 2, 28)
    assert report["application_id"] is None


def test_a_final_report_without_an_end_date_names_what_is_missing(wf, owner, project):
    assert workflow.project_reports(wf, project).final_due_on is None
    with pytest.raises(InvalidInput) as missing:
        workflow.add_report(wf, owner, project, kind="final")
    assert missing.value.fields["due_on"].code == "report_no_end_date"
    assert "project_end" in missing.value.message
    with pytest.raises(InvalidInput) as derived:
        workflow.add_report(wf, owner, project, kind="final", due_on="2027-01-01")
    assert derived.value.fields["due_on"].code == "final_report_derived"


@pytest.mark.parametrize(
    ("due_on", "code"), [(None, "required"), ("", "required"), ("2027-02-30", "not_date")]
)
def test_a_progress_report_needs_a_real_day(wf, owner, project, due_on, code):
    with pytest.raises(InvalidInput) as refused:
        workflow.add_report(wf, owner, project, kind="progress", due_on=due_on)
    assert refused.value.fields["due_on"].code == code


def test_bad_kinds_notes_reports_and_versions_are_refused(wf, owner, project):
    with pytest.raises(InvalidInput) as kind:
        workflow.add_report(wf, owner, project, kind="annual", due_on="2027-01-01")
    assert kind.value.fields["kind"].code == "not_one_of"
    with pytest.raises(InvalidInput):
        workflow.add_report(wf, owner, project, kind="progress", due_on="2027-1-1", note="x" * 6000)
    with pytest.raises(NotFound):
        workflow.deliver_report(wf, owner, project, 999)
    with pytest.raises(StaleVersion):
        workflow.add_report(
            wf, owner, project, kind="progress", due_on="2027-01-01", expected_version=7
        )


def test_reports_go_on_after_completion_but_not_on_killed_or_reviewed_projects(
    wf, owner, coordinator, project
):
    rid = workflow.add_report(wf, owner, project, kind="progress", due_on="2027-03-01")
    set_status(wf, project, "completed")
    workflow.deliver_report(wf, owner, project, rid)
    workflow.approve_report(wf, coordinator, project, rid)
    workflow.add_report(wf, owner, project, kind="progress", due_on="2027-09-01")
    with pytest.raises(TransitionNotAllowed):  # other edits stay closed
        workflow.update_project(wf, owner, project, title="Nytt navn")

    for status in ("killed", "in_review"):
        set_status(wf, project, status)
        with pytest.raises(TransitionNotAllowed) as refused:
            workflow.add_report(wf, owner, project, kind="progress", due_on="2027-03-01")
        assert refused.value.problem.code == "part_frozen"
        assert refused.value.problem.params["status"] == status


def test_overdue_reports_and_the_payment_they_hold(wf, owner, coordinator, project):
    early = workflow.add_report(wf, owner, project, kind="progress", due_on="2026-10-01")
    workflow.add_report(wf, owner, project, kind="progress", due_on="2027-10-01")
    found = workflow.project_reports(wf, project)
    assert [r["overdue"] for r in found.items] == [True, False]
    assert found.payment_held  # the first one's day has come, and it is not approved

    workflow.deliver_report(wf, owner, project, early)
    found = workflow.project_reports(wf, project)
    assert [r["overdue"] for r in found.items] == [False, False]
    assert found.payment_held  # delivered, awaiting approval
    workflow.approve_report(wf, coordinator, project, early)
    assert not workflow.project_reports(wf, project).payment_held


def test_the_portfolio_lists_overdue_reports_longest_overdue_first(wf, owner, other_owner):
    a = workflow.create_project(wf, owner, definition="lab", title="A")
    b = workflow.create_project(wf, other_owner, definition="lab", title="B")
    workflow.add_report(wf, owner, a, kind="progress", due_on="2026-10-15")
    workflow.add_report(wf, other_owner, b, kind="progress", due_on="2026-09-01")
    workflow.add_report(wf, owner, a, kind="progress", due_on="2027-01-01")  # not yet due
    delivered = workflow.add_report(wf, owner, a, kind="progress", due_on="2026-08-01")
    workflow.deliver_report(wf, owner, a, delivered)
    killed = workflow.create_project(wf, owner, definition="lab", title="K")
    workflow.add_report(wf, owner, killed, kind="progress", due_on="2026-07-01")
    set_status(wf, killed, "killed")

    page = workflow.overdue_reports(wf, per_page=1)
    assert page.total == 2
    assert [(r["title"], r["days_overdue"]) for r in page.items] == [("B", 62)]
    second = workflow.overdue_reports(wf, page=2, per_page=1)
    assert [(r["title"], r["owner_name"]) for r in second.items] == [("A", owner.name)]
    beyond = workflow.overdue_reports(wf, page=5, per_page=1)
    assert (beyond.items, beyond.total) == ([], 2)
    with pytest.raises(InvalidInput):
        workflow.overdue_reports(wf, per_page=1000)


def user(wf, role: str, group: str | None = None) -> workflow.Actor:
    email = f"{role}@rep.example.no"
    workflow.add_user(wf, email=email, name=role, role=role, password="password123", group=group)
    return workflow.get_actor(wf, email=email)


def test_the_requirement_is_met_only_by_an_approved_final_report(rep):
    owner, coordinator = user(rep, "owner"), user(rep, "coordinator")
    gatekeeper = user(rep, "gatekeeper", "kommune")
    pid = workflow.create_project(
        rep, owner, definition="rep", title="R", fields={"project_end": "2027-04-30"}
    )

    def requirement():
        (gate,) = workflow.get_project(rep, pid).next_gates
        (criterion,) = gate["requires"]
        return criterion["kind"], criterion["key"], criterion["met"], criterion["code"]

    assert requirement() == ("reports", "final", False, "report_missing")
    progress = workflow.add_report(rep, owner, pid, kind="progress", due_on="2027-01-01")
    workflow.deliver_report(rep, owner, pid, progress)
    workflow.approve_report(rep, coordinator, pid, progress)
    assert requirement()[2:] == (False, "report_missing")
    final = workflow.add_report(rep, owner, pid, kind="final")
    assert workflow.project_reports(rep, pid).items[-1]["due_on"] == date(2027, 5, 30)
    with pytest.raises(workflow.GateNotSatisfied) as unmet:
        workflow.submit_project(rep, owner, pid)
    assert unmet.value.unmet[0].code == "report_not_far_enough"
    workflow.deliver_report(rep, owner, pid, final)
    assert requirement()[2:] == (False, "report_not_far_enough")
    workflow.approve_report(rep, coordinator, pid, final)
    assert requirement()[2:] == (True, "report_far_enough")

    workflow.submit_project(rep, owner, pid)
    workflow.decide_gate(rep, gatekeeper, pid, decision="go")
    assert workflow.get_project(rep, pid).project["status"] == "completed"
    workflow.add_report(rep, owner, pid, kind="progress", due_on="2027-04-15")


def test_report_reminders_go_to_the_owner_14_and_1_days_before_and_once_after(
    wf, smtp, create_user
):
    oslo = ZoneInfo("Europe/Oslo")
    owner = create_user("owner", language="en")
    pid = workflow.create_project(wf, owner, definition="lab", title="Velferdsteknologi")
    workflow.add_report(wf, owner, pid, kind="progress", due_on="2027-03-01")
    delivered = workflow.add_report(wf, owner, pid, kind="progress", due_on="2027-02-01")
    workflow.deliver_report(wf, owner, pid, delivered)
    start = date(2027, 2, 1)
    for n in range(60):
        as_of = datetime.combine(start + timedelta(days=n), time(6), tzinfo=oslo)
        workflow.run_all(wf, as_of, smtp.url)
        remind_reports(wf, as_of=as_of, zone=oslo)  # a second run queues nothing new

    subjects = [
        m["Subject"] for m in smtp.messages if m["To"] == owner.email and "report" in m["Subject"]
    ]
    assert subjects == [
        "Progress report due in 14 day(s): Velferdsteknologi",
        "Progress report due in 1 day(s): Velferdsteknologi",
        "Progress report overdue: Velferdsteknologi",
    ]
    assert any("2027-03-01" in m.get_content() for m in smtp.messages)
    with wf.db.read() as conn:
        sent_on = conn.execute(
            select(outbox.c.created_at)
            .where(outbox.c.dedupe_key.startswith("report:"))
            .order_by(outbox.c.id)
        ).scalars()
        days = [d.astimezone(oslo).date() for d in sent_on]
    assert days == [date(2027, 2, 15), date(2027, 2, 28), date(2027, 3, 2)]


def test_a_reminder_missed_while_down_is_caught_up_once_in_bokmal(wf, owner, project):
    oslo = ZoneInfo("Europe/Oslo")
    workflow.add_report(wf, owner, project, kind="progress", due_on="2027-03-01")
    set_fields(wf, project, {"project_end": "2027-01-31"})
    workflow.add_report(wf, owner, project, kind="final")  # due 28 February
    as_of = datetime.combine(date(2027, 2, 20), time(6), tzinfo=oslo)
    assert remind_reports(wf, as_of=as_of, zone=oslo).queued == 2
    assert remind_reports(wf, as_of=as_of, zone=oslo).queued == 0
    set_status(wf, project, "killed")
    later = datetime.combine(date(2027, 2, 28), time(6), tzinfo=oslo)
    assert remind_reports(wf, as_of=later, zone=oslo).queued == 0
    with wf.db.read() as conn:
        subjects = sorted(conn.execute(select(outbox.c.subject)).scalars())
    assert subjects == [
        "Framdriftsrapporten om 9 dag(er): Hjemmeoppfølging",
        "Sluttrapporten om 8 dag(er): Hjemmeoppfølging",
    ]


def test_a_progress_report_falls_within_the_project(wf, owner, project):
    set_fields(wf, project, {"project_start": "2027-01-01", "project_end": "2027-12-31"})
    for day, code, params in (
        ("2026-12-31", "report_before_project_start", {"start": "2027-01-01"}),
        ("2028-01-01", "report_after_project_end", {"end": "2027-12-31"}),
    ):
        with pytest.raises(InvalidInput) as outside:
            workflow.add_report(wf, owner, project, kind="progress", due_on=day)
        assert (outside.value.fields["due_on"].code, outside.value.fields["due_on"].params) == (
            code,
            params,
        )
    workflow.add_report(wf, owner, project, kind="progress", due_on="2027-12-31")
    # the current application's planned dates come first
    add_application(wf, project, date(2028, 6, 30))
    workflow.add_report(wf, owner, project, kind="progress", due_on="2028-03-01")
    assert len(workflow.project_reports(wf, project).items) == 2
