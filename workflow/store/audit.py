"""The audit trail: one hash chain per project, appended in the same transaction as a change.

Each event stores the hash of the project's previous event and the SHA-256 of its own
canonical content (which includes that previous hash). The project row keeps the hash and
sequence number of its newest event, so an edited, deleted, reordered or truncated event
breaks a link that :func:`verify_chains` reports. Chains are per project so writers on
different projects never wait for each other; writers on one project are already
serialised by its row lock and version check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from workflow.store.tables import AuditEvent, Project, table

_events = table(AuditEvent)
_projects = table(Project)
GENESIS = "0" * 64


def event_hash(event: Mapping[str, Any]) -> str:
    """The SHA-256 of an event's canonical content (sorted keys, ISO times, its prev_hash)."""
    content = {
        "project_id": event["project_id"],
        "seq": event["seq"],
        "actor_id": event["actor_id"],
        "action": event["action"],
        "from_stage": event["from_stage"],
        "to_stage": event["to_stage"],
        "from_status": event["from_status"],
        "to_status": event["to_status"],
        "payload": event["payload"],
        "created_at": event["created_at"].isoformat(timespec="microseconds"),
        "prev_hash": event["prev_hash"],
    }
    canonical = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def new_event(
    *,
    project_id: int,
    seq: int,
    prev_hash: str,
    actor_id: int | None,
    action: str,
    created_at: datetime,
    payload: Mapping[str, Any] | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
) -> dict[str, Any]:
    """Build the row of an event (with its hash) that follows ``prev_hash`` as number ``seq``."""
    row: dict[str, Any] = {
        "project_id": project_id,
        "seq": seq,
        "actor_id": actor_id,
        "action": action,
        "from_stage": from_stage,
        "to_stage": to_stage,
        "from_status": from_status,
        "to_status": to_status,
        "payload": dict(payload or {}),
        "created_at": created_at.astimezone(UTC),
        "prev_hash": prev_hash,
    }
    row["hash"] = event_hash(row)
    return row


@dataclass(frozen=True)
class ChainFault:
    """The first event of a project's chain that does not verify, and why."""

    project_id: int
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event {self.event_id}" if self.event_id is not None else "chain end"
        return f"project {self.project_id}, {where} (#{self.seq}): {self.reason}"


def verify_chains(conn: Connection, batch: int = 5000) -> Iterator[ChainFault]:
    """Check every project's chain, streaming the events; yield the first fault per project."""
    heads: dict[int, tuple[int, str]] = {
        r.id: (r.audit_seq, r.audit_head)
        for r in conn.execute(select(_projects.c.id, _projects.c.audit_seq, _projects.c.audit_head))
    }
    rows = (
        conn.execution_options(yield_per=batch)
        .execute(select(_events).order_by(_events.c.project_id, _events.c.seq))
        .mappings()
    )
    current: Any = None
    expected_seq, prev, broken = 1, GENESIS, False
    for row in rows:
        if row["project_id"] != current:
            if current is not None and not broken:
                yield from _check_head(current, expected_seq - 1, prev, heads.pop(current, None))
            heads.pop(current, None)
            current, expected_seq, prev, broken = row["project_id"], 1, GENESIS, False
        if broken:
            continue
        fault = _check_event(row, expected_seq, prev)
        if fault:
            broken = True
            yield ChainFault(row["project_id"], row["seq"], row["id"], fault)
            continue
        expected_seq, prev = expected_seq + 1, row["hash"]
    if current is not None:
        if not broken:
            yield from _check_head(current, expected_seq - 1, prev, heads.get(current))
        heads.pop(current, None)
    for pid, (seq, _) in sorted(heads.items()):
        if seq:
            yield ChainFault(pid, 1, None, f"all {seq} event(s) are missing")


def _check_event(row: Mapping[Any, Any], expected_seq: int, prev: str) -> str | None:
    if row["seq"] != expected_seq:
        return f"sequence number {row['seq']} where {expected_seq} was expected (deleted or moved)"
    if row["prev_hash"] != prev:
        return "does not link to the previous event (deleted, inserted or reordered)"
    if event_hash(row) != row["hash"]:
        return "content does not match its hash (edited)"
    return None


def _check_head(
    project_id: int, last_seq: int, last_hash: str, head: tuple[int, str] | None
) -> Iterator[ChainFault]:
    if head is None:
        return
    seq, head_hash = head
    if seq != last_seq or head_hash != last_hash:
        yield ChainFault(
            project_id,
            last_seq + 1,
            None,
            f"the project records {seq} event(s) but the chain ends at {last_seq}",
        )
