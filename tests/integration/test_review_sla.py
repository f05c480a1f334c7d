"""A gate's review SLA (``review_sla_days``): how long the gatekeepers may take once a project
is submitted there, measured from the submission whatever the owner does; flagged by the
stall check as ``review_overdue``; the stage's ``sla_days`` does not run meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import workflow
from tests.conftest import make_workflow
from workflow.store.tables import OutboxMessage, table

DEFINITION = """
key: review
version: 1
title: {nb: "Svarfrist", en: "Review SLA"}
description: {nb: "Til tester.", en: "For tests."}
fields:
  - {key: need, type: text, label: {nb: Behov, en: Need}}
stages:
  - key: idea
    title: {nb: Idé, en: Idea}
    sla_days: 30
    guidance: {nb: "Beskriv.", en: "Describe."}
  - key: build
    title: {nb: Bygge, en: Build}
    sla_days: 20
    guidance: {nb: "Bygg.", en: "Build."}
  - key: done
    title: {nb: Ferdig, en: Done}
    final: true
gates:
  - key: quick
    from: idea
    to: build
    title: {nb: Rask tilbakemelding, en: Quick feedback}
    requires: {fields: [need]}
    quorum: {leder: 1, kommune: 1}
    review_sla_days: 5
  - key: slow
    from: build
    to: done
    title: {nb: Ferdig, en: Finished}
    quorum: {leder: 1}
"""


@pytest.fixture
def rwf(db, tmp_path):
    path = tmp_path / "review.yaml"
    path.write_text(DEFINITION, encoding="utf-8")
    return make_workflow(db, path)


def at(wf, days):
    moved = workflow.Workflow(
        wf.db, base_url=wf.base_url, clock=lambda: wf.clock() + timedelta(days=days)
    )
    moved.catalog = wf.catalog
    return moved


def later(wf, days):
    return wf.clock() + timedelta(days=days)


@pytest.fixture
def people(rwf):
    def make(role, group=None, name="x"):
        email = f"{name}@example.no"
        workflow.add_user(
            rwf, email=email, name=name, role=role, password="password123", group=group
        )
        return workflow.get_actor(rwf, email=email)

    return {
        "owner": make("owner", name="eier"),
        "leder": make("gatekeeper", "leder", "leder"),
        "kommune": make("gatekeeper", "kommune", "kommune"),
        "other": make("gatekeeper", "ntnu", "annen"),
    }


@pytest.fixture
def submitted(rwf, people):
    pid = workflow.create_project(
        rwf, people["owner"], definition="review", title="Idé", fields={"need": "Mindre venting"}
    )
    workflow.submit_project(rwf, people["owner"], pid)
    return pid


def recipients(wf):
    with wf.db.read() as conn:
        return list(
            conn.execute(
                select(table(OutboxMessage).c.recipient_email, table(OutboxMessage).c.subject)
            )
        )


def test_the_gate_says_its_review_sla(rwf):
    spec = rwf.catalog.get("review", 1)

    assert workflow.review_sla_days(spec, "quick") == 5
    assert workflow.review_sla_days(spec, "slow") is None
    assert workflow.review_sla_days(spec, None) is None


def test_a_review_past_its_sla_is_flagged_review_overdue_and_the_deciders_are_told(
    rwf, people, submitted
):
    assert workflow.stalled_projects(rwf, as_of=later(rwf, 4)).total == 0
    before = len(recipients(rwf))

    report = workflow.flag_stalled(rwf, as_of=later(rwf, 6))

    assert report.flagged == [submitted]
    event = workflow.project_events(rwf, submitted)[-1]
    assert event["action"] == "stalled"
    assert event["payload"]["reason"] == "review_overdue"
    assert event["payload"]["days_waiting"] == 6
    assert event["payload"]["review_sla_days"] == 5
    mail = recipients(rwf)[before:]
    assert sorted(m[0] for m in mail) == ["kommune@example.no", "leder@example.no"]
    assert all("Venter på beslutning for lenge" in m[1] for m in mail)
    view = workflow.get_project(at(rwf, 6), submitted)
    assert view.project["stalled"]
    assert view.project["stall_reason"] == "review_overdue"
    # flagged once: a later run finds nothing new until twice the SLA, then escalates
    quiet = workflow.flag_stalled(rwf, as_of=later(rwf, 7))
    assert (quiet.flagged, quiet.escalated) == ([], [])
    before = len(recipients(rwf))
    assert workflow.flag_stalled(rwf, as_of=later(rwf, 11)).escalated == [submitted]
    assert workflow.project_events(rwf, submitted)[-1]["action"] == "escalated"
    again = recipients(rwf)[before:]
    assert sorted(m[0] for m in again) == ["kommune@example.no", "leder@example.no"]
    assert all("Fortsatt ingen beslutning" in m[1] for m in again)
    assert workflow.flag_stalled(rwf, as_of=later(rwf, 30)).escalated == []


def test_activity_in_review_does_not_move_the_review_clock(rwf, people, submitted):
    # a vote short of the decision (the kommune group still has to vote) is activity,
    # but the gatekeepers' promise runs from the submission
    workflow.decide_gate(at(rwf, 3), people["leder"], submitted, decision="go")
    workflow.add_comment(at(rwf, 4), people["owner"], submitted, body="Noe nytt?")

    assert workflow.stalled_projects(rwf, as_of=later(rwf, 6)).total == 1
    workflow.flag_stalled(rwf, as_of=later(rwf, 6))
    workflow.add_comment(at(rwf, 7), people["leder"], submitted, body="Vi ser på den.")
    # the flag is not cleared by activity in review: it is flagged once
    assert workflow.flag_stalled(rwf, as_of=later(rwf, 8)).flagged == []
    assert workflow.stalled_projects(rwf, as_of=later(rwf, 8)).total == 1


def test_the_stage_sla_does_not_run_in_review_and_a_gate_without_one_behaves_as_before(
    rwf, people, submitted
):
    # the review SLA (5) is shorter than the stage's (30); the decision starts the next clock
    workflow.decide_gate(at(rwf, 2), people["leder"], submitted, decision="go")
    workflow.decide_gate(at(rwf, 2), people["kommune"], submitted, decision="go")
    assert workflow.stalled_projects(rwf, as_of=later(rwf, 21)).total == 0
    assert workflow.stalled_projects(rwf, as_of=later(rwf, 23)).total == 1
    workflow.submit_project(at(rwf, 10), people["owner"], submitted, gate="slow")

    # at the gate without a review SLA the stage's 20 days count from the last activity
    assert workflow.stalled_projects(rwf, as_of=later(rwf, 29)).total == 0
    (item,) = workflow.stalled_projects(rwf, as_of=later(rwf, 31)).items
    view = workflow.get_project(at(rwf, 31), submitted)
    assert view.project["stall_reason"] == "no_activity"
    report = workflow.flag_stalled(rwf, as_of=later(rwf, 31))
    assert "reason" not in workflow.project_events(rwf, submitted)[-1]["payload"]
    assert report.flagged == [item["id"]]


def test_a_question_pauses_the_review_clock_and_the_answer_restarts_it(rwf, people, submitted):
    question = workflow.ask_question(
        at(rwf, 1), people["leder"], submitted, text="Hvor mange berøres?"
    )
    assert workflow.stalled_projects(rwf, as_of=later(rwf, 20)).total == 0

    workflow.answer_question(
        at(rwf, 20), people["owner"], submitted, question, body="Tretti ansatte."
    )

    assert workflow.stalled_projects(rwf, as_of=later(rwf, 24)).total == 0
    assert workflow.stalled_projects(rwf, as_of=later(rwf, 26)).total == 1


def test_the_gate_queue_shows_waited_against_the_sla(rwf, people, submitted):
    (item,) = workflow.gate_queue(at(rwf, 3), people["leder"]).items

    assert item["waited_days"] == 3
    assert item["sla_days"] == 5
    (task,) = [t for t in workflow.my_tasks(at(rwf, 3), people["leder"]) if t.kind == "vote"]
    assert task.due_on == (rwf.clock() + timedelta(days=5)).date()


@pytest.mark.parametrize("value", [0, -1, "14", 3651])
def test_a_bad_review_sla_is_refused_naming_the_gate(value):
    text = DEFINITION.replace(
        "review_sla_days: 5",
        f"review_sla_days: {value!r}" if isinstance(value, str) else f"review_sla_days: {value}",
    )
    with pytest.raises(workflow.DefinitionError) as caught:
        workflow.parse_definition(text, "review.yaml")

    assert any(
        p.startswith("review.yaml: gates[0].review_sla_days:") for p in caught.value.problems
    )
