"""B9: an owner's submits to a gate per second on SQLite, against a raw sqlite3 loop.

Both sides submit the same number of projects that meet their first gate's requirements,
one transaction per submit, on identical databases with identical durability (WAL,
synchronous=FULL): read and lock the project with its owner, count its partners by type
(the requirement facts), open the review, update the project with a version check, append
a hash-chained audit event, read the gatekeepers and queue a mail to each of them (four
here: the gate's quorum is any gatekeeper). The engine does it through
``workflow.submit_project``; the reference does the same statements by hand on one
``sqlite3`` connection.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

import workflow
from bench.common import (
    DEFINITION,
    main,
    open_fresh,
    scratch_sqlite,
    seed_people,
    seed_projects,
    sqlite_url,
)
from bench.raw import insert_event, race, ratio_line, sign
from workflow.store.tables import Project, table

TARGET = 0.5


def make_ready(wf: workflow.Workflow) -> list[int]:
    """Give every seeded project in the first stage what its gate requires; their ids."""
    spec = wf.catalog.get(DEFINITION)
    stage = spec.first_stage.key
    gate = spec.gates_from(stage)[0]
    fields = dict.fromkeys(gate.requires.fields, "Et problem som er godt beskrevet")
    checklist = {stage: sorted(gate.requires.checklist)}
    projects = table(Project)
    with wf.db.write() as conn:
        ready = projects.c.stage == stage
        conn.execute(update(projects).where(ready).values(fields=fields, checklist=checklist))
        return list(
            conn.execute(select(projects.c.id).where(ready).order_by(projects.c.id)).scalars()
        )


def _raw_submit(conn: sqlite3.Connection, pid: int, owner_id: int, gate: str) -> None:
    moment = datetime.now(UTC)
    now = moment.replace(tzinfo=None).isoformat(sep=" ")
    conn.execute("BEGIN IMMEDIATE")
    row = conn.execute(
        "SELECT p.id, p.definition_key, p.definition_version, p.title, p.fields, p.checklist, "
        "p.stage, p.stage_round, p.status, p.owner_id, p.version, p.pending_gate, "
        "p.pending_review_id, p.audit_head, p.audit_seq, u.email, u.name, u.language "
        "FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.id = ?",
        (pid,),
    ).fetchone()
    (_, _, _, title, fields, checklist, stage, _, status, owner, version, _, _, head, seq) = row[
        :15
    ]
    owner_name = row[16]
    if status != "active" or owner != owner_id:
        raise RuntimeError("not submittable")
    conn.execute(
        "SELECT o.type, count(DISTINCT o.id) FROM organisations o JOIN project_partners pp "
        "ON pp.organisation_id = o.id WHERE pp.project_id = ? GROUP BY o.type",
        (pid,),
    ).fetchall()
    if not json.loads(fields).get("problem") or "idea_described" not in json.loads(checklist).get(
        stage, []
    ):
        raise RuntimeError("requirements unmet")
    review = conn.execute(
        "INSERT INTO gate_reviews (project_id, gate_key, stage, submitted_by, submitted_at) "
        "VALUES (?, ?, ?, ?, ?) RETURNING id",
        (pid, gate, stage, owner, now),
    ).fetchone()[0]
    payload = {"gate": gate, "review_id": review}
    event = {
        "project_id": pid,
        "seq": seq + 1,
        "actor_id": owner,
        "action": "submitted",
        "from_stage": None,
        "to_stage": None,
        "from_status": status,
        "to_status": "in_review",
        "payload": payload,
        "created_at": now,
        "prev_hash": head,
    }
    digest = sign(event)
    stale = (moment + timedelta(days=14)).replace(tzinfo=None).isoformat(sep=" ")
    done = conn.execute(
        "UPDATE projects SET status = ?, pending_gate = ?, pending_review_id = ?, version = ?, "
        "audit_seq = ?, audit_head = ?, updated_at = ?, last_activity_at = ?, stale_at = ?, "
        "stall_flagged_at = NULL, stall_escalated_at = NULL WHERE id = ? AND version = ?",
        ("in_review", gate, review, version + 1, seq + 1, digest, now, now, stale, pid, version),
    ).rowcount
    if done != 1:
        raise RuntimeError("lost update")
    insert_event(conn, event, digest)
    gatekeepers = conn.execute(
        "SELECT id, email, language, gatekeeper_group FROM users "
        "WHERE role = 'gatekeeper' AND is_active AND id != ?",
        (owner,),
    ).fetchall()
    conn.executemany(
        "INSERT INTO outbox_messages (recipient_id, recipient_email, language, subject, "
        "body, project_id, dedupe_key, status, attempts, created_at, next_attempt_at) "
        "VALUES (?, ?, ?, ?, ?, ?, NULL, 'pending', 0, ?, ?)",
        [
            (
                user_id,
                email,
                language,
                f"Til vurdering: {title}",
                f"{owner_name} har sendt «{title}» til porten.\n\n"
                f"Åpne prosjektet: http://x/projects/{pid}\n",
                pid,
                now,
                now,
            )
            for user_id, email, language, _group in gatekeepers
        ],
    )
    conn.execute("COMMIT")


def run(projects: int, rounds: int = 10) -> tuple[str, bool]:
    """Seed a database, race the engine against the raw loop, and return the result line."""
    with scratch_sqlite() as path:
        wf = open_fresh(sqlite_url(path))
        people = seed_people(wf)
        seed_projects(wf, people.owner.id, projects)
        ids = make_ready(wf)
        spec = wf.catalog.get(DEFINITION)
        gate = spec.gates_from(spec.first_stage.key)[0].key
        wf.db.dispose()
        owner = people.owner
        ours, raw = race(
            path,
            ids,
            lambda wf, pid: workflow.submit_project(wf, owner, pid),
            lambda conn, pid: _raw_submit(conn, pid, owner.id, gate),
            rounds,
        )
    return ratio_line("B9", len(ids), ours, raw, TARGET)


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 2_000))
