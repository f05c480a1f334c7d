"""The write pipeline every project change goes through.

Lock and read the project row, let the use case check and compute, then update the row
with a version check and append its audit event — in the caller's transaction, so the
change and its audit record commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from workflow.audit import new_event
from workflow.definitions import Definition
from workflow.errors import ConcurrentUpdate, NotFound, PermissionDenied, StaleVersion
from workflow.machine import ACTIVE, IN_REVIEW
from workflow.models import AuditEvent, OutboxMessage, Project, User, table

projects = table(Project)
events = table(AuditEvent)
outbox = table(OutboxMessage)
users = table(User)

_LOCK_COLUMNS = (
    projects.c.id,
    projects.c.definition_key,
    projects.c.definition_version,
    projects.c.title,
    projects.c.fields,
    projects.c.checklist,
    projects.c.stage,
    projects.c.stage_round,
    projects.c.status,
    projects.c.owner_id,
    projects.c.version,
    projects.c.pending_gate,
    projects.c.pending_review_id,
    projects.c.audit_head,
    projects.c.audit_seq,
    projects.c.last_activity_at,
)


def lock_project(conn: Connection, project_id: int, expected_version: int | None) -> RowMapping:
    """Read a project row for change, locked against other writers until commit.

    Raises:
        NotFound: there is no such project.
        StaleVersion: ``expected_version`` is given and is not the stored version.
    """
    row = (
        conn.execute(select(*_LOCK_COLUMNS).where(projects.c.id == project_id).with_for_update())
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"project {project_id} does not exist")
    if expected_version is not None and expected_version != row["version"]:
        raise StaleVersion(project_id, expected_version, row["version"])
    return row


def require_owner(row: RowMapping, actor_id: int) -> None:
    """Raise PermissionDenied unless ``actor_id`` owns the project."""
    if row["owner_id"] != actor_id:
        raise PermissionDenied(f"only the project's owner may change project {row['id']}")


def stale_at(definition: Definition, stage: str, status: str, now: datetime) -> datetime | None:
    """When a project in ``stage`` and ``status`` with activity at ``now`` becomes stalled."""
    sla = definition.stage(stage).sla_days
    if status not in (ACTIVE, IN_REVIEW) or sla is None:
        return None
    return now + timedelta(days=sla)


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
    conn: Connection,
    row: RowMapping,
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
    result = conn.execute(
        update(projects)
        .where(projects.c.id == row["id"], projects.c.version == row["version"])
        .values(**values)
    )
    if result.rowcount != 1:
        raise ConcurrentUpdate(f"project {row['id']} was changed by someone else; reload it")
    conn.execute(insert(events).values(**event))
    return int(version)


def queue_mail(conn: Connection, rows: list[dict[str, Any]], *, now: datetime) -> None:
    """Queue outbox messages (dicts of recipient, language, subject, body, …) in the transaction."""
    if rows:
        conn.execute(
            insert(outbox),
            [
                dict(r, created_at=now, next_attempt_at=now, status="pending", attempts=0)
                for r in rows
            ],
        )


def recipient(conn: Connection, user_id: int) -> RowMapping:
    """The id, email, name and language of a user, for addressing mail."""
    return (
        conn.execute(
            select(users.c.id, users.c.email, users.c.name, users.c.language).where(
                users.c.id == user_id
            )
        )
        .mappings()
        .one()
    )
