"""The write pipeline: every project mutation is one locked, versioned, audited unit of work."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

import workflow
from tests.conftest import GO, make_workflow
from workflow import TransitionNotAllowed
from workflow.store import pipeline
from workflow.store.tables import (
    AuditEvent,
    GateReview,
    Organisation,
    OutboxMessage,
    Project,
    Vote,
    table,
)

events = table(AuditEvent)
projects = table(Project)
reviews = table(GateReview)
votes = table(Vote)
outbox = table(OutboxMessage)
organisations = table(Organisation)


def ticking(start: datetime = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)):
    """A clock that moves one second on every reading: a use case reading it twice shows."""
    seconds = itertools.count()
    return lambda: start + timedelta(seconds=next(seconds))


def head(wf, pid):
    """The project's version and chain head, and its newest events."""
    with wf.db.read() as conn:
        row = conn.execute(
            select(projects.c.version, projects.c.audit_seq, projects.c.audit_head).where(
                projects.c.id == pid
            )
        ).one()
        trail = conn.execute(
            select(events.c.seq, events.c.prev_hash, events.c.hash, events.c.action)
            .where(events.c.project_id == pid)
            .order_by(events.c.seq)
        ).all()
    return row, trail


def attempt(wf, actor, pid, *steps):
    """Run a pipeline change whose block calls each of ``steps`` with the change."""
    with pipeline.change(wf, actor, pid) as ch:
        for step in steps:
            step(ch)


def assert_one_step(wf, pid, before, action):
    """Exactly one new event, numbered seq + 1, linked to the old head; the row points at it."""
    (version, seq, old_head), old_trail = before
    (new_version, new_seq, new_head), trail = head(wf, pid)
    assert len(trail) == len(old_trail) + 1, action
    last = trail[-1]
    assert (last.action, last.seq, last.prev_hash) == (action, seq + 1, old_head)
    assert (new_version, new_seq, new_head) == (version + 1, last.seq, last.hash)


def test_every_mutation_writes_one_event_and_one_version_step(
    wf, owner, kommune, ntnu, research_org
):
    pid = workflow.create_project(wf, owner, definition="lab", title="Steg for steg")
    (version, seq, first_head), trail = head(wf, pid)
    assert (version, seq, [t.action for t in trail]) == (1, 1, ["created"])
    assert (trail[0].prev_hash, first_head) == (pipeline.GENESIS, trail[0].hash)

    steps = [
        (
            "edited",
            lambda: workflow.update_project(
                wf, owner, pid, fields={"need": "Mer tid", "budget": 1000, "own_share": 600}
            ),
        ),
        (
            "checklist_ticked",
            lambda: workflow.set_checklist_item(wf, owner, pid, "need_described", True),
        ),
        (
            "partner_added",
            lambda: workflow.add_partner(wf, owner, pid, organisation_id=research_org),
        ),
        ("submitted", lambda: workflow.submit_project(wf, owner, pid)),
        ("voted", lambda: workflow.decide_gate(wf, kommune, pid, decision="go", scores=GO)),
        ("held", lambda: workflow.decide_gate(wf, ntnu, pid, decision="hold")),
        ("resumed", lambda: workflow.resume_project(wf, ntnu, pid)),
        ("submitted", lambda: workflow.submit_project(wf, owner, pid)),
        (
            "recycled",
            lambda: workflow.decide_gate(wf, kommune, pid, decision="recycle", comment="Mer"),
        ),
        (
            "checklist_unticked",
            lambda: workflow.set_checklist_item(wf, owner, pid, "need_described", False),
        ),
    ]
    for action, run in steps:
        before = head(wf, pid)
        run()
        assert_one_step(wf, pid, before, action)

    partner = workflow.get_project(wf, pid).partners[0]["id"]
    before = head(wf, pid)
    workflow.remove_partner(wf, owner, pid, partner)
    assert_one_step(wf, pid, before, "partner_removed")
    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []


def test_a_change_that_changes_nothing_writes_nothing(wf, owner, ready_project):
    before = head(wf, ready_project)

    version = workflow.set_checklist_item(wf, owner, ready_project, "need_described", True)

    assert head(wf, ready_project) == before
    assert version == before[0].version


def test_one_now_per_use_case(wf, owner, kommune, ntnu, submitted_project):
    wf.clock = ticking()
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    workflow.decide_gate(wf, ntnu, submitted_project, decision="go", scores=GO)
    workflow.set_checklist_item(wf, owner, submitted_project, "milestone_met", True)
    workflow.submit_project(wf, owner, submitted_project, gate="next_phase")

    with wf.db.read() as conn:
        at = dict(
            conn.execute(
                select(events.c.action, events.c.created_at).where(
                    events.c.project_id == submitted_project,
                    events.c.action.in_(["voted", "gate_passed", "submitted"]),
                    events.c.seq > 4,
                )
            ).all()
        )
        cast = conn.execute(select(votes.c.cast_at).order_by(votes.c.id)).scalars().all()
        decided_at, submitted_at = conn.execute(
            select(func.max(reviews.c.decided_at), func.max(reviews.c.submitted_at))
        ).one()
        mailed = conn.execute(
            select(func.max(outbox.c.created_at)).where(outbox.c.project_id == submitted_project)
        ).scalar_one()
        row = conn.execute(
            select(projects.c.updated_at, projects.c.stage_entered_at).where(
                projects.c.id == submitted_project
            )
        ).one()

    assert cast == [at["voted"], at["gate_passed"]]
    assert decided_at == at["gate_passed"]
    assert submitted_at == mailed == row.updated_at == at["submitted"]
    assert row.stage_entered_at == at["gate_passed"]


def test_the_status_changes_only_through_the_machine(wf, owner, ready_project):
    before = head(wf, ready_project)

    forge = lambda ch: ch.record("forged")  # noqa: E731
    with pytest.raises(ValueError, match="status change only through the machines"):
        attempt(wf, owner, ready_project, lambda ch: ch.set(status="in_review"), forge)
    with pytest.raises(TransitionNotAllowed, match="'advance' is not allowed while 'active'"):
        attempt(wf, owner, ready_project, lambda ch: ch.fire("advance"), forge)

    assert head(wf, ready_project) == before


def test_submit_fires_the_status_machine(wf, owner, ready_project):
    workflow.submit_project(wf, owner, ready_project)

    last = workflow.project_events(wf, ready_project)[-1]
    assert (last["action"], last["from_status"], last["to_status"]) == (
        "submitted",
        "active",
        "in_review",
    )
    with pytest.raises(TransitionNotAllowed, match="'submit' is not allowed while 'in_review'"):
        attempt(wf, owner, ready_project, lambda ch: ch.fire("submit"))


def test_a_change_without_its_audit_event_is_refused(wf, owner, ready_project):
    before = head(wf, ready_project)

    with pytest.raises(RuntimeError, match="needs an audit event"):
        attempt(wf, owner, ready_project, lambda ch: ch.set(title="Uten spor"))

    assert head(wf, ready_project) == before
    assert workflow.get_project(wf, ready_project).project["title"] != "Uten spor"


@pytest.fixture
def on_sqlite(sqlite_db):
    """A workflow on SQLite only (these tests read sqlite3's own counters) and an owner."""
    wf = make_workflow(sqlite_db)
    workflow.add_user(wf, email="ny@example.no", name="Ny", role="owner", password="password123")
    return wf, workflow.get_actor(wf, email="ny@example.no")


def test_a_sub_resource_written_without_its_audit_event_is_refused(on_sqlite):
    wf, owner = on_sqlite
    pid = workflow.create_project(wf, owner, definition="lab", title="Uten spor")
    insert_review = (
        "INSERT INTO gate_reviews (project_id, gate_key, stage, submitted_by, submitted_at) "
        "VALUES (%(p)s, 'idea_review', 'idea', %(o)s, %(t)s)"
    )

    def write(ch):
        ch.sql.execute(insert_review, {"p": pid, "o": owner.id, "t": ch.now})

    with pytest.raises(RuntimeError, match="needs an audit event"):
        attempt(wf, owner, pid, write)

    with wf.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(reviews)).scalar_one() == 0


def test_a_unit_of_work_rolls_back_unless_committed(wf):
    name = "Ikke lagret AS"
    with wf.db.unit() as uow:
        uow.conn.execute(
            organisations.insert().values(
                key="a", name=name, type="research", created_at=wf.clock()
            )
        )
        assert uow.sql.scalar("SELECT count(*) FROM organisations WHERE name = %(n)s", {"n": name})
    with wf.db.unit() as uow:
        uow.sql.execute(
            "INSERT INTO organisations (key, name, type, description, created_at) "
            "VALUES ('b', %(n)s, 'research', '', %(t)s)",
            {"n": name + " 2", "t": wf.clock()},
        )
        uow.commit()

    with wf.db.read() as conn:
        names = conn.execute(select(organisations.c.name)).scalars().all()
    assert name not in names
    assert name + " 2" in names


def test_creating_a_project_is_one_insert_and_its_event(on_sqlite):
    wf, owner = on_sqlite
    statements: list[str] = []

    def trace(dbapi, _record):
        dbapi.set_trace_callback(statements.append)

    wf.db.engine.dispose()  # so that every connection from here on is a new, traced one
    event.listen(wf.db.engine, "connect", trace)
    try:
        pid = workflow.create_project(wf, owner, definition="lab", title="Telt")
    finally:
        event.remove(wf.db.engine, "connect", trace)
        wf.db.engine.dispose()

    # the audit ledger (a counter of chains) is another table; the project row is written once
    writes = [s.split(" (")[0] for s in statements if s.startswith(("INSERT", "UPDATE"))]
    # SQLite's trace repeats a statement once for each trigger program it runs (migration
    # 0008's full-text index): one statement, however often it is traced
    writes = list(dict.fromkeys(writes))
    assert [w for w in writes if "projects" in w or "audit_events" in w] == [
        "INSERT INTO projects",
        "INSERT INTO audit_events",
    ]
    (version, seq, chain_head), trail = head(wf, pid)
    assert (version, seq, chain_head) == (1, 1, trail[0].hash)
