"""The audit trail: every change is an event in the same transaction; tampering is found."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

import workflow
from tests.conftest import GO
from workflow.store.tables import AuditEvent, Project, table

events = table(AuditEvent)


def faults(wf):
    with wf.db.read() as conn:
        return list(workflow.verify_chains(conn))


def test_each_change_appends_one_linked_event(wf, owner, kommune, ntnu, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    workflow.decide_gate(wf, ntnu, submitted_project, decision="go", scores=GO)

    trail = workflow.project_events(wf, submitted_project)

    assert [e["action"] for e in trail] == [
        "created",
        "checklist_ticked",
        "partner_added",
        "submitted",
        "voted",
        "gate_passed",
    ]
    assert trail[-1]["from_stage"] == "idea"
    assert trail[-1]["to_stage"] == "build"
    assert trail[-1]["actor_name"] == ntnu.name
    assert faults(wf) == []


def test_a_failed_operation_leaves_no_event(wf, owner, ready_project):
    before = len(workflow.project_events(wf, ready_project))

    with pytest.raises(workflow.InvalidInput):
        workflow.update_project(wf, owner, ready_project, fields={"budget": "mye"})

    assert len(workflow.project_events(wf, ready_project)) == before


def tamper(wf, statement):
    with wf.db.write() as conn:
        conn.execute(statement)


def test_an_edited_event_is_found(wf, submitted_project):
    tamper(
        wf,
        update(events)
        .where(events.c.project_id == submitted_project, events.c.seq == 2)
        .values(payload={"item": "forged"}),
    )

    (fault,) = faults(wf)

    assert (fault.project_id, fault.seq) == (submitted_project, 2)
    assert "edited" in fault.reason


def test_a_deleted_event_is_found(wf, submitted_project):
    tamper(wf, delete(events).where(events.c.project_id == submitted_project, events.c.seq == 2))

    (fault,) = faults(wf)

    assert fault.seq == 3
    assert "deleted" in fault.reason


def test_a_deleted_last_event_is_found(wf, submitted_project):
    tamper(wf, delete(events).where(events.c.project_id == submitted_project, events.c.seq == 4))

    (fault,) = faults(wf)

    assert "records 4 event(s) but the chain ends at 3" in fault.reason


def test_reordered_events_are_found(wf, submitted_project):
    with wf.db.write() as conn:
        rows = conn.execute(
            select(events.c.id, events.c.seq).where(
                events.c.project_id == submitted_project, events.c.seq.in_([2, 3])
            )
        ).all()
        (a, sa), (b, sb) = rows
        conn.execute(update(events).where(events.c.id == a).values(seq=-1))
        conn.execute(update(events).where(events.c.id == b).values(seq=sa))
        conn.execute(update(events).where(events.c.id == a).values(seq=sb))

    (fault,) = faults(wf)

    assert fault.seq == 2


def test_other_projects_chains_still_verify(wf, owner, submitted_project):
    other = workflow.create_project(wf, owner, definition="lab", title="Annet")
    tamper(
        wf,
        update(events)
        .where(events.c.project_id == submitted_project, events.c.seq == 1)
        .values(action="deleted"),
    )

    assert [f.project_id for f in faults(wf)] == [submitted_project]
    assert other != submitted_project


def test_a_changed_head_on_the_project_is_found(wf, submitted_project):
    projects = table(Project)
    tamper(wf, update(projects).where(projects.c.id == submitted_project).values(audit_seq=9))

    assert len(faults(wf)) == 1
