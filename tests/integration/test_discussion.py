"""The project room: the discussion with @mentions, requests for information that pause the
review, and a conditional go whose follow-ups block the next gate (SPEC §2b, §2c, §4b)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import workflow
from tests.conftest import GO, make_workflow
from workflow import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from workflow.jobs.follow_up_reminders import remind_follow_ups
from workflow.jobs.reminders import remind_reviewers
from workflow.queries.discussion import room_tasks
from workflow.store.tables import events, outbox, projects

ROOM = """
key: room
version: 1
title: {nb: Rom, en: Room}
description: {nb: Til tester., en: For tests.}
stages:
  - {key: plan, title: {nb: Plan, en: Plan}, sla_days: 10, guidance: {nb: P., en: P.}}
  - {key: run, title: {nb: Kjøre, en: Run}, sla_days: 10, guidance: {nb: K., en: R.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - {key: start, from: plan, to: run, title: {nb: Start, en: Start}, quorum: {kommune: 1}}
  - key: close
    from: run
    to: done
    title: {nb: Slutt, en: Close}
    quorum: {kommune: 1}
    requires: {follow_ups_closed: true}
"""


def actions(wf, project_id: int) -> list[str]:
    with wf.db.read() as conn:
        return list(
            conn.execute(
                select(events.c.action)
                .where(events.c.project_id == project_id)
                .order_by(events.c.seq)
            ).scalars()
        )


def mail_to(wf, email: str) -> list[tuple[str, str]]:
    with wf.db.read() as conn:
        return [
            (r.subject, r.body)
            for r in conn.execute(
                select(outbox.c.subject, outbox.c.body)
                .where(outbox.c.recipient_email == email)
                .order_by(outbox.c.id)
            )
        ]


def project_row(wf, project_id: int):
    with wf.db.read() as conn:
        return conn.execute(select(projects).where(projects.c.id == project_id)).mappings().one()


@pytest.fixture
def room(wf, tmp_path: Path):
    """A workflow with only the definition ``room`` (users made after it, on the same db)."""
    (tmp_path / "room.yaml").write_text(ROOM, encoding="utf-8")
    return make_workflow(wf.db, tmp_path)


def test_a_comment_with_mentions_is_audited_mailed_and_listed_without_a_new_version(
    wf, owner, kommune, create_user
):
    english = create_user("owner", language="en", name="Emma English")
    pid = workflow.create_project(wf, owner, definition="lab", title="Hjemmeoppfølging")
    before = project_row(wf, pid)["version"]

    cid = workflow.add_comment(
        wf,
        kommune,
        pid,
        body=f"Hei @{owner.email} og @{english.email.upper()}, se **dette**. "
        f"Ikke en omtale: x@{kommune.email} eller @nobody@example.no",
    )

    assert project_row(wf, pid)["version"] == before
    assert actions(wf, pid)[-1] == "commented"
    assert mail_to(wf, owner.email)[0][0] == "Kari Kommune nevnte deg: Hjemmeoppfølging"
    assert mail_to(wf, english.email)[0][0] == "Kari Kommune mentioned you: Hjemmeoppfølging"
    assert mail_to(wf, kommune.email) == []
    page = workflow.project_comments(wf, pid)
    assert page.total == 1
    assert page.items[0]["id"] == cid
    assert page.items[0]["author_name"] == "Kari Kommune"
    with wf.db.read() as conn:
        tasks = room_tasks(conn, english.id, date(2026, 11, 2))
    assert tasks == [
        {
            "kind": "mention",
            "project_id": pid,
            "project_title": "Hjemmeoppfølging",
            "due_on": None,
            "ref_id": cid,
        }
    ]


def test_the_thread_is_oldest_first_paginated_and_stays_open_in_review(
    wf, owner, kommune, submitted_project
):
    for n in range(3):
        workflow.add_comment(wf, owner if n % 2 else kommune, submitted_project, body=f"#{n}")
    second = workflow.project_comments(wf, submitted_project, page=2, per_page=2)
    assert second.total == 3
    assert [c["body"] for c in second.items] == ["#2"]
    with pytest.raises(InvalidInput) as empty:
        workflow.add_comment(wf, owner, submitted_project, body="   ")
    assert "body" in empty.value.fields
    with pytest.raises(NotFound):
        workflow.project_comments(wf, 999_999)


def test_an_owner_comment_counts_as_activity_but_a_gatekeepers_does_not(wf, owner, kommune):
    pid = workflow.create_project(wf, owner, definition="lab", title="Klokke")
    stale = project_row(wf, pid)["stale_at"]
    workflow.add_comment(wf, kommune, pid, body="Et råd")
    assert project_row(wf, pid)["stale_at"] == stale
    workflow.add_comment(wf, owner, pid, body="Takk")
    assert project_row(wf, pid)["stale_at"] > stale


def test_a_request_for_information_pauses_the_review_until_the_owner_answers(
    wf, owner, kommune, ntnu, other_owner, submitted_project
):
    pid = submitted_project
    assert project_row(wf, pid)["stale_at"] is not None
    with pytest.raises(PermissionDenied):
        workflow.ask_question(wf, owner, pid, text="Eget spørsmål?")
    with pytest.raises(PermissionDenied):
        workflow.ask_question(wf, other_owner, pid, text="Hvem er jeg?")

    first = workflow.ask_question(wf, kommune, pid, text="Hvem er brukerne?")
    second = workflow.ask_question(wf, ntnu, pid, text="Hva koster det?")

    row = project_row(wf, pid)
    assert row["status"] == "in_review"
    assert row["stale_at"] is None
    assert (
        mail_to(wf, owner.email)[-1][0]
        == "Spørsmål fra beslutningspunktet «Idévurdering»: " + row["title"]
    )
    with wf.db.read() as conn:
        assert [t["ref_id"] for t in room_tasks(conn, owner.id, date(2026, 11, 2))] == [
            first,
            second,
        ]
    with pytest.raises(PermissionDenied):
        workflow.answer_question(wf, kommune, pid, first, body="Svar")

    workflow.answer_question(wf, owner, pid, first, body="Hjemmeboende eldre")
    assert project_row(wf, pid)["stale_at"] is None  # one is still open
    with pytest.raises(InvalidInput):
        workflow.answer_question(wf, owner, pid, first, body="Igjen")
    workflow.answer_question(wf, owner, pid, second, body="1 mill.")

    row = project_row(wf, pid)
    assert row["status"] == "in_review"
    assert row["stale_at"] is not None
    assert mail_to(wf, ntnu.email)[-1][0] == "Svar på spørsmålet ditt: " + row["title"]
    questions = workflow.project_questions(wf, pid)
    assert [q["open"] for q in questions] == [False, False]
    assert [c["body"] for c in workflow.project_comments(wf, pid).items] == [
        "Hjemmeboende eldre",
        "1 mill.",
    ]
    assert actions(wf, pid)[-4:] == [
        "question_asked",
        "question_asked",
        "question_answered",
        "question_answered",
    ]


def test_a_paused_review_is_left_out_of_the_gatekeepers_digest(
    wf, owner, kommune, submitted_project
):
    question = workflow.ask_question(wf, kommune, submitted_project, text="Hvem er brukerne?")
    later = wf.clock() + timedelta(days=30)
    assert remind_reviewers(wf, as_of=later, days=3).examined == 0
    workflow.answer_question(wf, owner, submitted_project, question, body="Eldre")
    assert remind_reviewers(wf, as_of=later, days=3).examined == 1


def test_a_question_needs_a_pending_gate(wf, owner, kommune, ready_project):
    with pytest.raises(TransitionNotAllowed):
        workflow.ask_question(wf, kommune, ready_project, text="Nå?")


def test_conditions_are_checked_and_come_only_with_a_go(wf, owner, kommune, submitted_project):
    bad = [{"text": "", "responsible_id": "x", "due_on": "snart"}]
    with pytest.raises(InvalidInput) as refused:
        workflow.decide_gate(
            wf, kommune, submitted_project, decision="go", scores=GO, conditions=bad
        )
    assert set(refused.value.fields) == {
        "conditions.0.text",
        "conditions.0.responsible_id",
        "conditions.0.due_on",
    }
    one = [{"text": "Avklar", "responsible_id": owner.id, "due_on": "2027-01-10"}]
    with pytest.raises(InvalidInput) as only_go:
        workflow.decide_gate(
            wf, kommune, submitted_project, decision="recycle", comment="Nei", conditions=one
        )
    assert "conditions" in only_go.value.fields
    nobody = [{"text": "Avklar", "responsible_id": 999_999, "due_on": "2027-01-10"}]
    with pytest.raises(InvalidInput) as unknown:
        workflow.decide_gate(
            wf, kommune, submitted_project, decision="go", scores=GO, conditions=nobody
        )
    assert "conditions.0.responsible_id" in unknown.value.fields


def test_a_conditional_go_passes_and_its_follow_ups_block_the_next_gate_until_closed(
    room, create_user, coordinator
):
    wf = room
    owner = create_user("owner", name="Olivia Owner")
    board = create_user("gatekeeper", group="kommune", name="Kari Kommune")
    pid = workflow.create_project(wf, owner, definition="room", title="Velferdsteknologi")
    workflow.submit_project(wf, owner, pid)
    result = workflow.decide_gate(
        wf,
        board,
        pid,
        decision="go",
        conditions=[
            {"text": "Avklar personvern", "responsible_id": owner.id, "due_on": "2026-11-08"},
            {"text": "", "responsible_id": None, "due_on": ""},  # an empty form row
            {"text": "Budsjett", "responsible_id": owner.id, "due_on": date(2027, 1, 1)},
        ],
    )
    assert result.decided
    assert result.stage == "run"

    items = workflow.project_follow_ups(wf, pid, today=date(2026, 11, 2))
    assert [(f["text"], f["responsible_name"]) for f in items] == [
        ("Avklar personvern", "Olivia Owner"),
        ("Budsjett", "Olivia Owner"),
    ]
    with pytest.raises(workflow.GateNotSatisfied) as waiting:
        workflow.submit_project(wf, owner, pid)
    assert [c.code for c in waiting.value.unmet] == ["follow_ups_open"]
    with wf.db.read() as conn:
        tasks = room_tasks(conn, owner.id, date(2026, 11, 2))
    assert [(t["kind"], t["due_on"]) for t in tasks] == [
        ("condition", date(2026, 11, 8)),
        ("condition", date(2027, 1, 1)),
    ]

    report = remind_follow_ups(wf, as_of=wf.clock(), zone=wf.zone)
    again = remind_follow_ups(wf, as_of=wf.clock(), zone=wf.zone)
    assert (report.queued, again.queued) == (1, 0)
    assert mail_to(wf, owner.email)[-1][0].startswith("Vilkår forfaller om 6 dag(er)")

    with pytest.raises(PermissionDenied):
        workflow.close_follow_up(wf, board, pid, items[0]["id"], note="Ok")
    with pytest.raises(InvalidInput):
        workflow.close_follow_up(wf, owner, pid, items[0]["id"], note="")
    workflow.close_follow_up(wf, owner, pid, items[0]["id"], note="DPIA gjort")
    workflow.close_follow_up(wf, coordinator, pid, items[1]["id"], note="Avklart i styret")
    with pytest.raises(InvalidInput):
        workflow.close_follow_up(wf, owner, pid, items[0]["id"], note="Igjen")

    workflow.submit_project(wf, owner, pid)
    assert project_row(wf, pid)["status"] == "in_review"
    closed = workflow.project_follow_ups(wf, pid)
    assert [f["closed_by_name"] for f in closed] == ["Olivia Owner", "Cora Koordinator"]
    assert actions(wf, pid).count("follow_up_closed") == 2


def test_conditions_of_a_review_that_did_not_pass_never_count(
    wf, owner, kommune, ntnu, submitted_project
):
    workflow.decide_gate(
        wf,
        kommune,
        submitted_project,
        decision="go",
        scores=GO,
        conditions=[{"text": "Vilkår", "responsible_id": owner.id, "due_on": "2027-01-10"}],
    )
    assert workflow.project_follow_ups(wf, submitted_project) == []  # not passed yet
    workflow.decide_gate(wf, ntnu, submitted_project, decision="recycle", comment="Mer arbeid")
    assert workflow.project_follow_ups(wf, submitted_project) == []
    with wf.db.read() as conn:
        assert room_tasks(conn, owner.id, date(2026, 11, 2)) == []
