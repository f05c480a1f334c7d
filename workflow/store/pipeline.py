"""The write pipeline every project change goes through.

Lock and read the project row, let the use case check and compute, then update the row
with a version check and append its audit event — in the caller's transaction, so the
change and its audit record commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

from workflow.definitions import Definition
from workflow.domain.stalls import stale_at
from workflow.errors import ConcurrentUpdate, NotFound, PermissionDenied, StaleVersion
from workflow.store.audit import new_event
from workflow.store.fastsql import Sql
from workflow.store.tables import AuditEvent, OutboxMessage, Project, User, table

projects = table(Project)
events = table(AuditEvent)
outbox = table(OutboxMessage)
users = table(User)

_LOCK = (
    "SELECT p.id, p.definition_key, p.definition_version, p.title, p.fields, p.checklist, "
    "p.stage, p.stage_round, p.status, p.owner_id, p.version, p.pending_gate, "
    "p.pending_review_id, p.audit_head, p.audit_seq, u.email AS owner_email, "
    "u.name AS owner_name, u.language AS owner_language "
    "FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.id = %(id)s"
)
INSERT_EVENT = (
    "INSERT INTO audit_events (project_id, seq, actor_id, action, from_stage, to_stage, "
    "from_status, to_status, payload, created_at, prev_hash, hash) VALUES (%(project_id)s, "
    "%(seq)s, %(actor_id)s, %(action)s, %(from_stage)s, %(to_stage)s, %(from_status)s, "
    "%(to_status)s, %(payload)s, %(created_at)s, %(prev_hash)s, %(hash)s)"
)
_INSERT_MAIL = (
    "INSERT INTO outbox_messages (recipient_id, recipient_email, language, subject, body, "
    "project_id, dedupe_key, status, attempts, created_at, next_attempt_at) VALUES "
    "(%(recipient_id)s, %(recipient_email)s, %(language)s, %(subject)s, %(body)s, "
    "%(project_id)s, %(dedupe_key)s, 'pending', 0, %(now)s, %(now)s)"
)


def sql(conn: Connection | Sql) -> Sql:
    """The driver-level statement runner of ``conn`` (one per pooled connection)."""
    if isinstance(conn, Sql):
        return conn
    runner = conn.info.get("samspill_sql")
    if runner is None:
        runner = conn.info["samspill_sql"] = Sql.of(conn)
    return runner


def lock_project(
    conn: Connection | Sql, project_id: int, expected_version: int | None
) -> dict[str, Any]:
    """Read a project row for change, locked against other writers until commit.

    SQLite holds the database's write lock already (``BEGIN IMMEDIATE``); PostgreSQL
    locks the row (``FOR UPDATE``).

    Raises:
        NotFound: there is no such project.
        StaleVersion: ``expected_version`` is given and is not the stored version.
    """
    runner = sql(conn)
    query = _LOCK if runner.sqlite else _LOCK + " FOR UPDATE OF p"
    row = runner.one(query, {"id": project_id}, json_columns=("fields", "checklist"))
    if row is None:
        raise NotFound(f"project {project_id} does not exist")
    check_version(row, expected_version)
    return row


def check_version(row: Mapping[str, Any], expected_version: int | None) -> None:
    """Raise StaleVersion if ``expected_version`` is given and is not the row's version."""
    if expected_version is not None and expected_version != row["version"]:
        raise StaleVersion(row["id"], expected_version, row["version"])


def require_owner(row: Mapping[str, Any], actor_id: int) -> None:
    """Raise PermissionDenied unless ``actor_id`` owns the project."""
    if row["owner_id"] != actor_id:
        raise PermissionDenied(f"only the project's owner may change project {row['id']}")


@dataclass(frozen=True)
class Change:
    """A change to write: new column values and the audit event that records it."""

    action: str
    values: Mapping[str, Any]
    payload: Mapping[str, Any]
    from_stage: str | None = None
    to_stage: str | None = None
    from_status: str | None = None
    to_status: str | None = None


def apply_change(
    conn: Connection | Sql,
    row: Mapping[str, Any],
    change: Change,
    *,
    definition: Definition,
    actor_id: int | None,
    now: datetime,
    activity: bool = True,
) -> int:
    """Write ``change`` to the project in ``row`` and append its audit event.

    ``activity`` False records an event (e.g. "stalled") without counting as work on
    the project, so the stall clock keeps running.

    Returns:
        The project's new version.

    Raises:
        ConcurrentUpdate: the row changed since it was read (a lost race).
    """
    seq = row["audit_seq"] + 1
    event = new_event(
        project_id=row["id"],
        seq=seq,
        prev_hash=row["audit_head"],
        actor_id=actor_id,
        action=change.action,
        created_at=now,
        payload=change.payload,
        from_stage=change.from_stage,
        to_stage=change.to_stage,
        from_status=change.from_status,
        to_status=change.to_status,
    )
    version = row["version"] + 1
    values = dict(change.values, version=version, audit_seq=seq, audit_head=event["hash"])
    if activity:
        stage = values.get("stage", row["stage"])
        status = values.get("status", row["status"])
        values.update(
            updated_at=now,
            last_activity_at=now,
            stale_at=stale_at(definition, stage, status, now),
            stall_flagged_at=None,
            stall_escalated_at=None,
        )
    runner = sql(conn)
    changed = runner.execute(
        _update_sql(tuple(sorted(values))), {**values, "_id": row["id"], "_version": row["version"]}
    )
    if changed != 1:
        raise ConcurrentUpdate(f"project {row['id']} was changed by someone else; reload it")
    runner.execute(INSERT_EVENT, event)
    return int(version)


@lru_cache(maxsize=128)
def _update_sql(columns: tuple[str, ...]) -> str:
    assignments = ", ".join(f"{c} = %({c})s" for c in columns)
    return f"UPDATE projects SET {assignments} WHERE id = %(_id)s AND version = %(_version)s"


def queue_mail(conn: Connection | Sql, rows: list[dict[str, Any]], *, now: datetime) -> None:
    """Queue outbox messages in the transaction: dicts of recipient_id, recipient_email,
    language, subject, body, project_id and optionally dedupe_key."""
    if rows:
        sql(conn).many(_INSERT_MAIL, [{"dedupe_key": None, **r, "now": now} for r in rows])
