"""The read side: lists, the funnel and its remembered counts."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

import workflow
from workflow import ProjectFilter


def test_the_funnel_counts_per_definition_stage_and_status(wf, owner, submitted_project):
    workflow.create_project(wf, owner, definition="lab", title="Nummer to")

    counts = workflow.funnel(wf)

    assert counts["lab"]["idea"] == {"in_review": 1, "active": 1}


def test_remembered_funnel_counts_follow_every_change(wf, owner, kommune, submitted_project):
    before = workflow.funnel(wf)
    workflow.decide_gate(wf, kommune, submitted_project, decision="hold")

    after = workflow.funnel(wf)

    assert before["lab"]["idea"] == {"in_review": 1}
    assert after["lab"]["idea"] == {"on_hold": 1}


def test_the_list_pages_newest_first_with_a_total(wf, owner):
    ids = [workflow.create_project(wf, owner, definition="lab", title=f"P{i}") for i in range(5)]

    first = workflow.list_projects(wf, page=1, per_page=2)
    last = workflow.list_projects(wf, page=3, per_page=2)

    assert [p["id"] for p in first.items] == ids[::-1][:2]
    assert [p["id"] for p in last.items] == ids[:1]
    assert (first.total, first.pages) == (5, 3)


def test_the_list_filters_by_text_and_status(wf, owner, submitted_project):
    workflow.create_project(wf, owner, definition="lab", title="Sensorer i hjemmet")

    found = workflow.list_projects(wf, ProjectFilter(q="sensor"))
    in_review = workflow.list_projects(wf, ProjectFilter(status="in_review"))

    assert [p["title"] for p in found.items] == ["Sensorer i hjemmet"]
    assert [p["id"] for p in in_review.items] == [submitted_project]


HOLD = 4242  # the advisory lock that keeps the submit's transaction open after its insert


def _hold_events_of(conn, project_id: int) -> None:
    """A trigger that makes the insert of an event of ``project_id`` wait for ``HOLD``."""
    conn.execute(
        text(
            "CREATE FUNCTION samspill_test_hold() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.project_id = {int(project_id)} THEN PERFORM pg_advisory_xact_lock({HOLD}); "
            "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER samspill_test_hold AFTER INSERT ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION samspill_test_hold()"
        )
    )


def _someone_waits_for(conn) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                f"AND objid = {HOLD} AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        ).scalar_one()
    )


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_the_funnel_counts_a_change_whose_lower_event_id_commits_last(db, wf, owner, ready_project):
    # PostgreSQL hands out ids at insert: the submit's event gets the lower id, then waits
    # while a newer project's event (a higher id) commits and the funnel is counted
    with db.engine.begin() as conn:
        _hold_events_of(conn, ready_project)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            workflow.submit_project(wf, owner, ready_project)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    try:
        with db.engine.connect() as holder:
            holder.execute(text(f"SELECT pg_advisory_lock({HOLD})"))
            submitting = threading.Thread(target=submit)
            submitting.start()
            deadline = time.monotonic() + 10
            while not _someone_waits_for(holder) and time.monotonic() < deadline:
                time.sleep(0.01)
            workflow.create_project(wf, owner, definition="lab", title="Later, committed first")
            early = workflow.funnel(wf)
            holder.execute(text(f"SELECT pg_advisory_unlock({HOLD})"))
            submitting.join(10)
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER IF EXISTS samspill_test_hold ON audit_events"))
            conn.execute(text("DROP FUNCTION IF EXISTS samspill_test_hold()"))

    assert errors == []
    assert early["lab"]["idea"] == {"active": 2}
    assert workflow.funnel(wf)["lab"]["idea"] == {"active": 1, "in_review": 1}
