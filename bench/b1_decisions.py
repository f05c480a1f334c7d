"""B1: persisted gate decisions per second on SQLite, against a raw sqlite3 loop.

Both sides decide the same number of projects waiting at the same gate, one transaction
per decision, on identical databases with identical durability (WAL, synchronous=FULL):
read the project, check the open review's votes, insert the vote, close the review, update
the project with a version check, append a hash-chained audit event, address and queue the
owner's mail. The engine does it through ``workflow.decide_gate``; the reference does the
same statements by hand on one ``sqlite3`` connection.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime

import workflow
from bench.common import main, open_fresh, scratch_sqlite, seed_people, seed_projects, sqlite_url
from bench.raw import insert_event, race, ratio_line, sign

TARGET = 0.7


def _raw_decision(conn: sqlite3.Connection, pid: int, voter: int) -> None:
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    conn.execute("BEGIN IMMEDIATE")
    row = conn.execute(
        "SELECT id, definition_key, definition_version, title, fields, checklist, stage, "
        "stage_round, status, owner_id, version, pending_gate, pending_review_id, audit_head, "
        "audit_seq, last_activity_at FROM projects WHERE id = ?",
        (pid,),
    ).fetchone()
    (_, _, _, title, _, _, stage, _, status, owner, version, gate, review, head, seq, _) = row
    if status != "in_review":
        raise RuntimeError("not in review")
    conn.execute(
        "SELECT voter_id, voter_group FROM votes WHERE review_id = ? AND decision = ?",
        (review, "go"),
    ).fetchall()
    conn.execute(
        "INSERT INTO votes (review_id, voter_id, voter_group, decision, scores, "
        "weighted_score, comment, cast_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (review, voter, "kommune", "go", "{}", None, "", now),
    )
    payload = {
        "gate": gate,
        "decision": "go",
        "group": "kommune",
        "scores": {},
        "weighted_score": None,
        "comment": "",
        "review_id": review,
    }
    event = {
        "project_id": pid,
        "seq": seq + 1,
        "actor_id": voter,
        "action": "gate_passed",
        "from_stage": stage,
        "to_stage": "assessment",
        "from_status": status,
        "to_status": "active",
        "payload": payload,
        "created_at": now,
        "prev_hash": head,
    }
    digest = sign(event)
    conn.execute(
        "UPDATE gate_reviews SET decided_at = ?, outcome = ? WHERE id = ?", (now, "go", review)
    )
    done = conn.execute(
        "UPDATE projects SET pending_gate = NULL, pending_review_id = NULL, stage = ?, "
        "stage_entered_at = ?, stage_round = 1, status = ?, version = ?, audit_seq = ?, "
        "audit_head = ?, updated_at = ?, last_activity_at = ?, stale_at = ?, "
        "stall_flagged_at = NULL, stall_escalated_at = NULL WHERE id = ? AND version = ?",
        ("assessment", now, "active", version + 1, seq + 1, digest, now, now, now, pid, version),
    ).rowcount
    if done != 1:
        raise RuntimeError("lost update")
    insert_event(conn, event, digest)
    email, _name, language = conn.execute(
        "SELECT email, name, language FROM users WHERE id = ?", (owner,)
    ).fetchone()[0:3]
    conn.execute(
        "INSERT INTO outbox_messages (recipient_id, recipient_email, language, subject, "
        "body, project_id, status, attempts, created_at, next_attempt_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            owner,
            email,
            language,
            f"Beslutning for {title}: godkjent",
            f"Porten er avgjort.\n\nÅpne prosjektet: http://x/projects/{pid}\n",
            pid,
            "pending",
            0,
            now,
            now,
        ),
    )
    conn.execute("COMMIT")


def run(projects: int, rounds: int = 10) -> tuple[str, bool]:
    """Seed a database, race the engine against the raw loop, and return the result line."""
    decisions = min(projects, 2000)
    with scratch_sqlite() as path:
        wf = open_fresh(sqlite_url(path))
        people = seed_people(wf)
        ids = seed_projects(wf, people.owner.id, projects, in_review=decisions)
        wf.db.dispose()
        gatekeeper = people.gatekeepers[0]
        ours, raw = race(
            path,
            ids,
            lambda wf, pid: workflow.decide_gate(wf, gatekeeper, pid, decision="go"),
            lambda conn, pid: _raw_decision(conn, pid, gatekeeper.id),
            rounds,
        )
    return ratio_line("B1", len(ids), ours, raw, TARGET)


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 2_000))
