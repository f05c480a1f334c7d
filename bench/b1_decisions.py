"""B1: persisted gate decisions per second on SQLite, against a raw sqlite3 loop.

Both sides decide the same number of projects waiting at the same gate, one transaction
per decision, on identical databases with identical durability (WAL, synchronous=FULL):
read the project, check the open review's votes, insert the vote, close the review, update
the project with a version check, append a hash-chained audit event, address and queue the
owner's mail. The engine does it through ``workflow.decide_gate``; the reference does the
same statements by hand on one ``sqlite3`` connection.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import sys
from datetime import UTC, datetime

import workflow
from bench.common import (
    Timer,
    line,
    main,
    open_fresh,
    scratch_sqlite,
    seed_people,
    seed_projects,
    sqlite_url,
)

TARGET = 0.7


def engine_loop(wf: workflow.Workflow, gatekeeper: workflow.Actor, ids: list[int]) -> float:
    """Decide every project through the service layer; return the seconds it took."""
    with Timer() as t:
        for pid in ids:
            workflow.decide_gate(wf, gatekeeper, pid, decision="go")
    return t.seconds


def raw_connection(path: str) -> sqlite3.Connection:
    """A sqlite3 connection with the engine's pragmas (WAL, synchronous=FULL, …)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def raw_loop(conn: sqlite3.Connection, gatekeeper_id: int, ids: list[int]) -> float:
    """The same writes with hand-written SQL on one sqlite3 connection; seconds taken."""
    with Timer() as t:
        for pid in ids:
            _raw_decision(conn, pid, gatekeeper_id)
    return t.seconds


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
    digest = hashlib.sha256(
        json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
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
    conn.execute(
        "INSERT INTO audit_events (project_id, seq, actor_id, action, from_stage, "
        "to_stage, from_status, to_status, payload, created_at, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            pid,
            seq + 1,
            voter,
            "gate_passed",
            stage,
            "assessment",
            status,
            "active",
            json.dumps(payload),
            now,
            head,
            digest,
        ),
    )
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
    """Seed two identical databases, time both loops, and return the result line.

    The loops alternate in ``rounds`` slices so that a change in the disk's fsync latency
    during the run weighs on both sides alike.
    """
    decisions = min(projects, 2000)
    with scratch_sqlite() as path:
        wf = open_fresh(sqlite_url(path))
        people = seed_people(wf)
        ids = seed_projects(wf, people.owner.id, projects, in_review=decisions)
        wf.db.dispose()
        reference = path.with_name("reference.db")
        shutil.copy(path, reference)
        raw_conn = raw_connection(str(reference))
        wf = workflow.Workflow(workflow.Database.from_url(sqlite_url(path)))
        wf.reload_definitions()
        gatekeeper = people.gatekeepers[0]
        ours = raw = 0.0
        size = max(1, len(ids) // rounds)
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            raw += raw_loop(raw_conn, gatekeeper.id, chunk)
            ours += engine_loop(wf, gatekeeper, chunk)
        raw_conn.close()
        wf.db.dispose()
    ours_rate, raw_rate = len(ids) / ours, len(ids) / raw
    ratio = ours_rate / raw_rate
    text = f"{ratio:.2f}x raw sqlite3 ({ours_rate:.0f}/s vs {raw_rate:.0f}/s)"
    return line("B1", text, f">= {TARGET}x", ratio >= TARGET), ratio >= TARGET


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 2_000))
