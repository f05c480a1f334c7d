"""The audit trail: every change is an event in the same transaction; tampering is found."""

from __future__ import annotations

import hashlib
import json
import stat

import pytest
from sqlalchemy import delete, select, update

import workflow
from tests.conftest import GO
from workflow import Database, Workflow
from workflow.store.audit_keys import Keyring, load_keyring
from workflow.store.tables import (
    AuditEvent,
    AuditLedger,
    GateReview,
    OutboxMessage,
    Project,
    ProjectPartner,
    Vote,
    table,
)

events = table(AuditEvent)
projects = table(Project)
ledger = table(AuditLedger)
reviews = table(GateReview)
votes = table(Vote)
partners = table(ProjectPartner)
outbox = table(OutboxMessage)


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
    tamper(wf, update(projects).where(projects.c.id == submitted_project).values(audit_seq=9))

    assert len(faults(wf)) == 1


# --- attacks by someone who can write the database but cannot read the audit key ---------


def _plain_sha256(row) -> str:
    """How the chain was hashed before it was keyed: what an attacker can recompute."""
    content = {
        k: row[k]
        for k in (
            "project_id",
            "seq",
            "actor_id",
            "action",
            "from_stage",
            "to_stage",
            "from_status",
            "to_status",
            "payload",
            "prev_hash",
        )
    }
    content["created_at"] = row["created_at"].isoformat(timespec="microseconds")
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rewrite_chain(conn, project_id, edit=lambda row: row):
    """Recompute a project's whole chain with plain SHA-256 after ``edit``ing its events."""
    rows = conn.execute(
        select(events).where(events.c.project_id == project_id).order_by(events.c.seq)
    ).mappings()
    head = "0" * 64
    for row in [dict(r) for r in rows]:
        row = edit(dict(row, prev_hash=head))
        head = _plain_sha256(row)
        conn.execute(
            update(events)
            .where(events.c.id == row["id"])
            .values(payload=row["payload"], prev_hash=row["prev_hash"], hash=head)
        )
    conn.execute(update(projects).where(projects.c.id == project_id).values(audit_head=head))


def test_a_chain_recomputed_with_plain_sha256_is_found(wf, submitted_project):
    def forge(row):
        if row["action"] == "partner_added":
            row["payload"] = {**row["payload"], "role": "forged"}
        return row

    with wf.db.write() as conn:
        rewrite_chain(conn, submitted_project, forge)

    found = faults(wf)

    assert [(f.project_id, f.seq) for f in found] == [(submitted_project, 1)]
    assert "hashed without the audit key" in found[0].reason


def test_a_chain_signed_with_another_key_is_found(wf, owner):
    other = Workflow(Database(wf.db.engine, audit_keys=Keyring.of("x" * 40)))
    other.reload_definitions()
    forged = workflow.create_project(other, owner, definition="lab", title="Falsk")

    (fault, *_) = faults(wf)

    assert (fault.project_id, fault.seq) == (forged, 1)
    assert "does not match its hash" in fault.reason


def test_a_project_deleted_with_its_whole_trail_is_found(
    wf, owner, kommune, ntnu, submitted_project
):
    kept = workflow.create_project(wf, owner, definition="lab", title="Blir igjen")
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    with wf.db.write() as conn:
        review_ids = select(reviews.c.id).where(reviews.c.project_id == submitted_project)
        conn.execute(delete(votes).where(votes.c.review_id.in_(review_ids)))
        conn.execute(delete(reviews).where(reviews.c.project_id == submitted_project))
        conn.execute(delete(partners).where(partners.c.project_id == submitted_project))
        conn.execute(delete(outbox).where(outbox.c.project_id == submitted_project))
        conn.execute(delete(events).where(events.c.project_id == submitted_project))
        conn.execute(delete(projects).where(projects.c.id == submitted_project))

    (fault,) = faults(wf)

    assert fault.project_id is None
    assert "counts 2 chain(s) but 1 exist" in fault.reason
    assert str(fault).startswith("the chain ledger:")
    assert workflow.get_project(wf, kept).project["title"] == "Blir igjen"


def test_a_ledger_counted_down_by_hand_is_found_and_stays_found(wf, owner, submitted_project):
    with wf.db.write() as conn:
        conn.execute(delete(events).where(events.c.project_id == submitted_project))
        conn.execute(delete(partners).where(partners.c.project_id == submitted_project))
        conn.execute(delete(reviews).where(reviews.c.project_id == submitted_project))
        conn.execute(delete(projects).where(projects.c.id == submitted_project))
        conn.execute(update(ledger).values(chains=0))
    workflow.create_project(wf, owner, definition="lab", title="Neste")

    (fault,) = faults(wf)

    assert "not signed with the audit key (edited)" in fault.reason


def test_a_project_inserted_without_a_trail_is_found(wf, owner, submitted_project):
    with wf.db.write() as conn:
        row = conn.execute(select(projects).where(projects.c.id == submitted_project)).one()
        values = {**row._asdict(), "id": submitted_project + 100, "audit_seq": 0}
        conn.execute(projects.insert().values(values))

    (fault,) = faults(wf)

    assert (fault.project_id, fault.reason) == (submitted_project + 100, "has no audit trail")


def test_a_stage_changed_directly_is_found(wf, submitted_project):
    tamper(wf, update(projects).where(projects.c.id == submitted_project).values(stage="build"))

    (fault,) = faults(wf)

    assert fault.project_id == submitted_project
    assert "in stage 'build'" in fault.reason
    assert "events put it in 'idea'" in fault.reason


def test_a_status_changed_directly_is_found(wf, submitted_project):
    tamper(
        wf, update(projects).where(projects.c.id == submitted_project).values(status="completed")
    )

    (fault,) = faults(wf)

    assert "with status 'completed'" in fault.reason


def test_a_deleted_vote_is_found(wf, kommune, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    tamper(wf, delete(votes).where(votes.c.voter_id == kommune.id))

    (fault,) = faults(wf)

    assert fault.project_id == submitted_project
    assert "1 vote(s) recorded in events are missing" in fault.reason


def test_an_edited_vote_is_found(wf, kommune, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    tamper(wf, update(votes).where(votes.c.voter_id == kommune.id).values(decision="kill"))

    assert len(faults(wf)) == 1


def test_an_event_moving_from_a_stage_the_project_was_not_in_is_found(
    wf, kommune, ntnu, submitted_project
):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    workflow.decide_gate(wf, ntnu, submitted_project, decision="go", scores=GO)
    with wf.db.write() as conn:
        rewrite_chain(conn, submitted_project)  # a legacy chain, so only the move is wrong
        conn.execute(
            update(events)
            .where(events.c.project_id == submitted_project, events.c.action == "gate_passed")
            .values(from_stage="build")
        )
        rewrite_chain(conn, submitted_project)
    with wf.db.read() as conn:
        found = list(workflow.verify_chains(conn, accept_unkeyed=True))

    assert [f.seq for f in found] == [6]
    assert "moves from stage 'build' but the project was in 'idea'" in found[0].reason


# --- keys: rotation, re-signing a trail written before keys, where the key lives ---------


def _unkey(wf):
    """Make the database look like one written before the trail was keyed."""
    with wf.db.write() as conn:
        ids = conn.execute(select(projects.c.id)).scalars().all()
        for pid in ids:
            rewrite_chain(conn, pid)
        conn.execute(delete(ledger))


def test_a_trail_written_before_keys_is_refused_until_rekeyed(wf, kommune, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    _unkey(wf)
    before = faults(wf)

    with wf.db.write() as conn:
        resigned = workflow.rekey_chains(conn, wf.db.audit_keys)

    assert [f.seq for f in before] == [1, 0]
    assert all("samspill audit rekey" in f.reason for f in before)
    assert resigned == 5
    assert faults(wf) == []


def test_rekey_refuses_a_broken_trail_and_changes_nothing(wf, submitted_project):
    _unkey(wf)
    tamper(wf, delete(events).where(events.c.project_id == submitted_project, events.c.seq == 2))
    with wf.db.read() as conn:
        hashes = conn.execute(select(events.c.hash).order_by(events.c.id)).scalars().all()

    with wf.db.write() as conn:
        outcome = workflow.rekey_chains(conn, wf.db.audit_keys)

    assert [f.seq for f in outcome] == [3]
    with wf.db.read() as conn:
        assert conn.execute(select(events.c.hash).order_by(events.c.id)).scalars().all() == hashes


def test_a_rotated_key_still_verifies_old_events_and_rekey_retires_it(wf, owner, ready_project):
    old_key, new_key = "o" * 40, "n" * 40
    with wf.db.write() as conn:
        workflow.rekey_chains(conn, Keyring.of(old_key))
    rotated = Workflow(Database(wf.db.engine, audit_keys=Keyring.of(new_key, (old_key,))))
    rotated.reload_definitions()
    workflow.update_project(rotated, owner, ready_project, title="Etter rotasjon")
    only_new = Workflow(Database(wf.db.engine, audit_keys=Keyring.of(new_key)))

    assert faults(rotated) == []
    assert [f.seq for f in faults(only_new)] == [1, 0]
    with rotated.db.write() as conn:
        workflow.rekey_chains(conn, rotated.db.audit_keys)
    assert faults(only_new) == []


def test_the_key_file_is_made_once_readable_by_the_owner_only(tmp_path):
    first = load_keyring(None, (), tmp_path / "instance")
    second = load_keyring(None, (), tmp_path / "instance")

    key_file = tmp_path / "instance" / "audit.key"
    assert first == second
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 64
    assert [p.name for p in (tmp_path / "instance").iterdir()] == ["audit.key"]


def test_production_requires_an_audit_key_of_some_length():
    base = {"SAMSPILL_ENV": "production"}

    with pytest.raises(workflow.InvalidInput) as missing:
        workflow.Settings.from_env(base)
    with pytest.raises(workflow.InvalidInput) as short:
        workflow.Settings.from_env({**base, "SAMSPILL_AUDIT_KEY": "kort"})
    configured = workflow.Settings.from_env({**base, "SAMSPILL_AUDIT_KEY": "k" * 32})

    assert "SAMSPILL_AUDIT_KEY" in missing.value.fields
    assert "at least 32" in short.value.fields["SAMSPILL_AUDIT_KEY"].text
    assert configured.audit_keyring() == Keyring.of("k" * 32)
