"""Stalled projects: idle past their stage's SLA, flagged once per stall episode."""

from __future__ import annotations

from datetime import timedelta

import workflow


def later(wf, days):
    return wf.clock() + timedelta(days=days)


def test_a_project_idle_past_its_sla_is_stalled(wf, owner, ready_project):
    assert workflow.stalled_projects(wf, as_of=later(wf, 9)).total == 0

    page = workflow.stalled_projects(wf, as_of=later(wf, 11))

    (item,) = page.items
    assert item["id"] == ready_project
    assert item["days_idle"] == 11
    assert item["owner_email"] == owner.email


def test_activity_restarts_the_clock(wf, owner, ready_project):
    wf_later = workflow.Workflow(wf.db, base_url=wf.base_url, clock=lambda: later(wf, 8))
    wf_later.catalog = wf.catalog
    workflow.update_project(wf_later, owner, ready_project, title="Fortsatt i live")

    assert workflow.stalled_projects(wf, as_of=later(wf, 12)).total == 0
    assert workflow.stalled_projects(wf, as_of=later(wf, 19)).total == 1


def test_killed_and_held_projects_are_never_stalled(wf, kommune, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="hold")

    assert workflow.stalled_projects(wf, as_of=later(wf, 400)).total == 0


def test_the_check_flags_once_per_stall_episode(wf, owner, ready_project):
    first = workflow.flag_stalled(wf, as_of=later(wf, 11))
    again = workflow.flag_stalled(wf, as_of=later(wf, 12))

    assert first.flagged == [ready_project]
    assert again.flagged == []
    assert [e["action"] for e in workflow.project_events(wf, ready_project)][-1] == "stalled"


def test_a_new_episode_after_activity_is_flagged_again(wf, owner, ready_project):
    workflow.flag_stalled(wf, as_of=later(wf, 11))
    active = workflow.Workflow(wf.db, base_url=wf.base_url, clock=lambda: later(wf, 12))
    active.catalog = wf.catalog
    workflow.update_project(active, owner, ready_project, title="Vi jobber")

    report = workflow.flag_stalled(wf, as_of=later(wf, 23))

    assert report.flagged == [ready_project]


def test_after_twice_the_sla_the_gatekeepers_are_told(wf, owner, kommune, ntnu, ready_project):
    workflow.flag_stalled(wf, as_of=later(wf, 11))

    report = workflow.flag_stalled(wf, as_of=later(wf, 21))
    repeat = workflow.flag_stalled(wf, as_of=later(wf, 30))

    assert report.escalated == [ready_project]
    assert repeat.escalated == []
    from sqlalchemy import select

    from workflow.store.tables import OutboxMessage, table

    with wf.db.read() as conn:
        recipients = set(conn.execute(select(table(OutboxMessage).c.recipient_email)).scalars())
    assert recipients == {owner.email, kommune.email, ntnu.email}


def test_the_stall_flag_does_not_count_as_activity(wf, ready_project):
    workflow.flag_stalled(wf, as_of=later(wf, 11))

    assert workflow.stalled_projects(wf, as_of=later(wf, 11)).total == 1
    assert workflow.get_project(wf, ready_project, now=later(wf, 11)).project["stalled"]


def test_a_save_that_changes_nothing_keeps_the_stall(wf, owner, ready_project):
    project = workflow.get_project(wf, ready_project).project
    wf_later = workflow.Workflow(wf.db, base_url=wf.base_url, clock=lambda: later(wf, 8))
    wf_later.catalog = wf.catalog

    version = workflow.update_project(
        wf_later,
        owner,
        ready_project,
        title=project["title"],
        summary=project["summary"] or "",
        thematic_area=project["thematic_area"] or "",
        fields=dict(project["fields"]),
    )

    assert version == project["version"]
    assert workflow.stalled_projects(wf, as_of=later(wf, 12)).total == 1
