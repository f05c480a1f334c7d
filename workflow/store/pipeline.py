"""The write pipeline: every change to a project goes through here, as one unit of work.

A use case opens a change, checks its rules against the locked row, says what changes and
records the audit event; leaving the block writes it all and commits — or, if anything
raised, nothing at all. A later module adds a sub-resource change like this::

    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        pipeline.require_owner(ch.row, actor.id)
        app_id = ch.sql.scalar(INSERT_APPLICATION, {"project": ch.row["id"], "now": ch.now})
        ch.record("application_added", {"application_id": app_id})
        ch.mail(Mail(ch.row["owner_id"], ch.row["owner_email"], lang, subject, body, ch.row["id"]))
    return ch.version

The steps, always in this order:

1. **lock** — ``BEGIN IMMEDIATE`` on SQLite, ``FOR UPDATE`` on PostgreSQL — and read the
   project row with its owner's address (``ch.row``) and definition version (``ch.spec``);
2. **version check** against ``expected_version`` (:class:`StaleVersion`, HTTP 412);
3. **the change**: the use case's own checks and sub-resource writes on the unit's
   transaction (``ch.sql`` driver-level, ``ch.conn`` Core); ``ch.set(...)`` for columns;
   ``ch.fire(trigger)`` for every status change (the status machine is the only way to
   change ``status``) and ``ch.fire_gate(gate)`` for a stage;
4. **audit**: ``ch.record(action, payload)`` appends an event to the project's hash
   chain (seq + 1, linked to the previous head);
5. **mail**: ``ch.mail(Mail(...))`` queues outbox rows in the same transaction.

On leaving the block the row is updated once with a version check (version + 1, the new
chain head, and — unless every event says ``activity=False`` — the activity and stall
columns), the events and mail are inserted, and the unit commits. One ``ch.now`` serves the
whole use case, so a vote's ``cast_at`` is its event's ``created_at``. A change that records
nothing writes nothing and keeps the version; one that sets columns or writes rows without
recording an event is a programming error and is refused (rows are counted on SQLite).
:func:`create` is the same for a new project (one INSERT with version 1, no second UPDATE);
:func:`batch` holds many changes on rows already read in one unit of work (the daily stall
check).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from workflow.definitions import Definition
from workflow.domain.lifecycle import ACTIVE, IN_REVIEW, StageStatus, fire_stage, fire_status
from workflow.domain.stalls import review_stale_at, stale_at
from workflow.errors import ConcurrentUpdate, NotFound, PermissionDenied, StaleVersion
from workflow.runtime import Actor, Workflow
from workflow.store.audit import GENESIS, count_new_chain, new_event
from workflow.store.db import UnitOfWork
from workflow.store.fastsql import Sql
from workflow.store.tables import (
    outbox,
)

_LOCK = (
    "SELECT p.id, p.definition_key, p.definition_version, p.title, p.summary, p.thematic_area, "
    "p.fields, p.checklist, "
    "p.stage, p.stage_round, p.status, p.owner_id, p.version, p.pending_gate, "
    "p.pending_review_id, p.stale_at, p.audit_head, p.audit_seq, u.email AS owner_email, "
    "u.name AS owner_name, u.language AS owner_language, "
    # the current application's status: while it waits for the funder the clock stops
    "(SELECT a.status FROM applications a WHERE a.project_id = p.id "
    "ORDER BY a.id DESC LIMIT 1) AS application_status "
    "FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.id = %(id)s"
)
_INSERT_EVENT = (
    "INSERT INTO audit_events (project_id, seq, actor_id, action, from_stage, to_stage, "
    "from_status, to_status, payload, created_at, prev_hash, hash) VALUES (%(project_id)s, "
    "%(seq)s, %(actor_id)s, %(action)s, %(from_stage)s, %(to_stage)s, %(from_status)s, "
    "%(to_status)s, %(payload)s, %(created_at)s, %(prev_hash)s, %(hash)s)"
)
_INSERT_MAIL = (
    "INSERT INTO outbox_messages (recipient_id, recipient_email, language, subject, body, "
    "project_id, dedupe_key, status, attempts, created_at, next_attempt_at) VALUES "
    "(%(recipient_id)s, %(recipient_email)s, %(language)s, %(subject)s, %(body)s, "
    "%(project_id)s, %(dedupe_key)s, %(status)s, %(attempts)s, %(created_at)s, "
    "%(next_attempt_at)s)"
)
#: a new project's id, taken before its row is written so that its first event (whose hash
#: covers the id) goes in with it; SQLite holds the write lock, PostgreSQL's sequence is atomic
_NEXT_ID = {
    True: "SELECT coalesce(max(id), 0) + 1 FROM projects",
    False: "SELECT nextval(pg_get_serial_sequence('projects', 'id'))",
}
#: the columns the status and stage machines own: only ``fire``/``fire_gate`` change them
_MACHINE_COLUMNS = frozenset({"status", "stage"})


@dataclass(frozen=True, slots=True)
class Mail:
    """One message to queue in the outbox, in the transaction of the change it tells of."""

    recipient_id: int | None
    recipient_email: str
    language: str
    subject: str
    body: str
    project_id: int | None = None
    #: a message with a key already queued is skipped by :func:`queue_unique`
    dedupe_key: str | None = None

    def row(self, now: datetime | str) -> dict[str, Any]:
        """The outbox row: the one place that builds them (``now`` as given or adapted)."""
        return {
            "recipient_id": self.recipient_id,
            "recipient_email": self.recipient_email,
            "language": self.language,
            "subject": self.subject,
            "body": self.body,
            "project_id": self.project_id,
            "dedupe_key": self.dedupe_key,
            "status": "pending",
            "attempts": 0,
            "created_at": now,
            "next_attempt_at": now,
        }


def queue_mail(
    conn: Connection | Sql | UnitOfWork, mails: Sequence[Mail], *, now: datetime
) -> None:
    """Queue ``mails`` in the transaction of ``conn``."""
    if not mails:
        return
    runner = sql(conn)
    stamp = runner.value(now)  # adapted once for every row
    if len(mails) == 1:
        runner.execute(_INSERT_MAIL, mails[0].row(stamp))
    else:
        runner.many(_INSERT_MAIL, [m.row(stamp) for m in mails])


def queue_unique(conn: Connection, mails: Sequence[Mail], *, now: datetime) -> int:
    """Queue ``mails``, skipping any whose dedupe key is already queued; return how many went in."""
    if not mails:
        return 0
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = (
        dialect.insert(outbox)
        .on_conflict_do_nothing(index_elements=[outbox.c.dedupe_key])
        .returning(outbox.c.id)
    )
    return len(conn.execute(stmt, [m.row(now) for m in mails]).all())


def sql(conn: Connection | Sql | UnitOfWork) -> Sql:
    """The driver-level statement runner of ``conn`` (one per pooled connection)."""
    return conn.sql if isinstance(conn, UnitOfWork) else Sql.of(conn)


def lock_project(
    conn: Connection | Sql | UnitOfWork, project_id: int, expected_version: int | None
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
        raise NotFound("no_project", project=project_id)
    check_version(row, expected_version)
    return row


def check_version(row: Mapping[str, Any], expected_version: int | None) -> None:
    """Raise StaleVersion if ``expected_version`` is given and is not the row's version."""
    if expected_version is not None and expected_version != row["version"]:
        raise StaleVersion(row["id"], expected_version, row["version"])


def require_owner(row: Mapping[str, Any], actor_id: int) -> None:
    """Raise PermissionDenied unless ``actor_id`` owns the project."""
    if row["owner_id"] != actor_id:
        raise PermissionDenied("not_owner", project=row["id"])


class ProjectChange:
    """One project's change in the making: column values, machine moves, events, mail.

    Made by :func:`change`, :func:`create` or :meth:`Batch.change`; see the module's
    docstring for how a use case drives it.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        row: Mapping[Any, Any],
        spec: Definition,
        *,
        actor_id: int | None,
        now: datetime,
        new: bool = False,
    ) -> None:
        self.uow = uow
        self.row = row
        self.spec = spec
        self.actor_id = actor_id
        self.now = now
        self.new = new
        self.values: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.mails: list[Mail] = []
        self._state = StageStatus(stage=row["stage"], status=row["status"])
        self._status_fired = self._stage_fired = new
        self._activity = False
        self._version = int(row["version"])
        #: whether the project waits for a funder's decision on its current application
        #: (SPEC §2c: the stall clock does not run meanwhile); the application use cases
        #: set it when they change that
        self.funder_pending = row.get("application_status") == "submitted"
        #: False for a change that is audited but leaves the version alone (a comment in
        #: the discussion, SPEC §4b: comments neither need nor change the version)
        self.bumps_version = True

    @property
    def sql(self) -> Sql:
        """The driver-level runner on the change's transaction."""
        return self.uow.sql

    @property
    def conn(self) -> Connection:
        """SQLAlchemy's Connection on the change's transaction."""
        return self.uow.conn

    @property
    def stage(self) -> str:
        """The project's stage as the change leaves it."""
        return self._state.stage

    @property
    def status(self) -> str:
        """The project's status as the change leaves it."""
        return self._state.status

    @property
    def version(self) -> int:
        """The project's version: the new one once the change is written."""
        return self._version

    def set(self, **values: Any) -> None:
        """Set column values of the project row (never ``status`` or ``stage``)."""
        owned = _MACHINE_COLUMNS.intersection(values)
        if owned:
            raise ValueError(f"{', '.join(sorted(owned))} change only through the machines")
        self.values.update(values)

    def fire(self, trigger: str) -> str:
        """Move the status by a lifecycle trigger; return the new status.

        Raises:
            TransitionNotAllowed: the status machine refuses it.
        """
        status = fire_status(self._state, trigger, project_id=self.row["id"])
        self.values["status"] = status
        self._status_fired = True
        return status

    def fire_gate(self, gate_key: str, *, recycle: bool = False) -> str:
        """Move the stage through a gate (or back by its recycle); return the new stage."""
        stage = fire_stage(
            self.spec, self._state, gate_key, project_id=self.row["id"], recycle=recycle
        )
        self.values["stage"] = stage
        self._stage_fired = True
        return stage

    def record(
        self,
        action: str,
        payload: Mapping[str, Any] | None = None,
        *,
        stages: bool = False,
        activity: bool = True,
    ) -> None:
        """Append an audit event for this change to the project's hash chain.

        It names the status move when the status machine fired, and the stage move when
        the stage machine fired or ``stages`` says so (a decision at a gate).
        ``activity`` False records an event (e.g. "stalled") without counting as work
        on the project, so the stall clock keeps running.
        """
        row = self.row
        previous = self.events[-1] if self.events else None
        stage_named = stages or self._stage_fired
        self.events.append(
            new_event(
                project_id=row["id"],
                seq=(previous["seq"] if previous else row["audit_seq"]) + 1,
                prev_hash=previous["hash"] if previous else row["audit_head"],
                actor_id=self.actor_id,
                action=action,
                created_at=self.now,
                payload=payload,
                from_stage=None if self.new or not stage_named else row["stage"],
                to_stage=self.stage if stage_named else None,
                from_status=None if self.new or not self._status_fired else row["status"],
                to_status=self.status if self._status_fired else None,
            )
        )
        self._activity = self._activity or activity

    def mail(self, *mails: Mail) -> None:
        """Queue mail with the change."""
        self.mails.extend(mails)

    def _columns(self) -> dict[str, Any] | None:
        """The row's new column values, or None when there is nothing to write."""
        if not self.events:
            if self.values:
                raise RuntimeError(f"a change to project {self.row['id']} needs an audit event")
            return None
        head = self.events[-1]
        values = dict(
            self.values,
            version=self._version + (1 if self.bumps_version else 0),
            audit_seq=head["seq"],
            audit_head=head["hash"],
        )
        if self._activity:
            now = self.now
            values.update(updated_at=now, last_activity_at=now)
            if self.status == IN_REVIEW and self._review_clock_running():
                # the gate's review SLA runs from the submission, whatever the owner does:
                # activity in review neither moves it nor clears its flag
                return values
            review_due = None
            if self.status == IN_REVIEW:
                review_due = review_stale_at(self.spec, self._pending_gate(), now)
            values.update(
                stale_at=review_due
                or stale_at(
                    self.spec, self.stage, self.status, now, funder_pending=self.funder_pending
                ),
                stall_flagged_at=None,
                stall_escalated_at=None,
            )
        return values

    def _pending_gate(self) -> str | None:
        """The gate the project waits at as the change leaves it (None when none)."""
        if "pending_gate" in self.values:
            return self.values["pending_gate"]  # type: ignore[no-any-return]
        return self.row.get("pending_gate")

    def _review_clock_running(self) -> bool:
        """Whether the project already was in review, before this change, at a gate with a
        review SLA whose clock runs (from the submission); a clock paused by a request for
        information (``stale_at`` cleared) starts again from the activity that ends the pause."""
        if self.new or self.row["status"] != IN_REVIEW:
            return False
        if "stale_at" in self.values or self.row.get("stale_at", True) is None:
            return False
        return review_stale_at(self.spec, self.row.get("pending_gate"), self.now) is not None


def _write(
    runner: Sql, changes: Sequence[ProjectChange], mails: Sequence[Mail], now: datetime
) -> None:
    """Write the changes' rows (with their version checks), events and mail."""
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    new_events: list[dict[str, Any]] = []
    for ch in changes:
        values = ch._columns()
        if values is None:
            continue
        if ch.new:
            runner.execute(_insert_sql(tuple(sorted(values))), values)
        else:
            params = dict(values, _id=ch.row["id"], _version=ch.row["version"])
            updates.setdefault(tuple(sorted(values)), []).append(params)
        new_events.extend(ch.events)
        ch._version = values["version"]
    for columns, rows in updates.items():
        statement = _update_sql(columns)
        changed = (
            runner.execute(statement, rows[0]) if len(rows) == 1 else runner.many(statement, rows)
        )
        if changed not in (-1, len(rows)):
            if len(rows) == 1:
                raise ConcurrentUpdate("changed_meanwhile", project=rows[0]["_id"])
            raise ConcurrentUpdate("batch_raced")
    if new_events:
        if len(new_events) == 1:
            runner.execute(_INSERT_EVENT, new_events[0])
        else:
            runner.many(_INSERT_EVENT, new_events)
    all_mail = [m for ch in changes for m in ch.mails] + list(mails)
    queue_mail(runner, all_mail, now=now)


@lru_cache(maxsize=128)
def _update_sql(columns: tuple[str, ...]) -> str:
    assignments = ", ".join(f"{c} = %({c})s" for c in columns)
    return f"UPDATE projects SET {assignments} WHERE id = %(_id)s AND version = %(_version)s"


@lru_cache(maxsize=16)
def _insert_sql(columns: tuple[str, ...]) -> str:
    names = ", ".join(columns)
    values = ", ".join(f"%({c})s" for c in columns)
    return f"INSERT INTO projects ({names}) VALUES ({values})"


def _actor_id(actor: Actor | None) -> int | None:
    return None if actor is None else actor.id


@contextmanager
def change(
    wf: Workflow, actor: Actor | None, project_id: int, expected_version: int | None = None
) -> Iterator[ProjectChange]:
    """Lock a project, check its version, and write what the block records, or nothing.

    Raises:
        NotFound, StaleVersion: before the block runs.
        ConcurrentUpdate: the row changed since it was read (a lost race).
    """
    with wf.db.unit() as uow:
        row = lock_project(uow.sql, project_id, expected_version)
        ch = ProjectChange(uow, row, wf.catalog.of(row), actor_id=_actor_id(actor), now=wf.clock())
        written = uow.rows_changed()
        yield ch
        if not ch.events and uow.rows_changed() != written:
            # a sub-resource written without its audit event (caught where SQLite counts)
            raise RuntimeError(f"a change to project {project_id} needs an audit event")
        _write(uow.sql, [ch], (), ch.now)
        uow.commit()


@contextmanager
def create(
    wf: Workflow, actor: Actor, spec: Definition, values: Mapping[str, Any]
) -> Iterator[ProjectChange]:
    """A new project of ``spec`` in its first stage, owned by ``actor``, with ``values``.

    The block records its first event (``created``); leaving it inserts the row with
    version 1 and that event as its chain head, and counts the new chain in the audit
    ledger. ``ch.row["id"]`` is the new id.
    """
    now = wf.clock()
    stage = spec.first_stage.key
    with wf.db.unit() as uow:
        project_id = int(uow.sql.scalar(_NEXT_ID[uow.is_sqlite], {}))
        row = dict(
            values,
            id=project_id,
            definition_key=spec.key,
            definition_version=spec.version,
            stage=stage,
            stage_round=1,
            status=ACTIVE,
            owner_id=actor.id,
            version=0,
            created_at=now,
            stage_entered_at=now,
            audit_seq=0,
            audit_head=GENESIS,
        )
        ch = ProjectChange(uow, row, spec, actor_id=actor.id, now=now, new=True)
        ch.values.update(
            {k: v for k, v in row.items() if k not in ("version", "audit_seq", "audit_head")}
        )
        yield ch
        _write(uow.sql, [ch], (), now)
        count_new_chain(uow.conn, project_id)
        uow.commit()


class Batch:
    """Many project changes in one unit of work, on rows the caller has read (and mail)."""

    def __init__(self, uow: UnitOfWork, wf: Workflow, now: datetime) -> None:
        self.uow = uow
        self.now = now
        self._wf = wf
        self.changes: list[ProjectChange] = []
        self.mails: list[Mail] = []

    @property
    def conn(self) -> Connection:
        """SQLAlchemy's Connection on the batch's transaction."""
        return self.uow.conn

    def change(self, row: Mapping[Any, Any], actor: Actor | None = None) -> ProjectChange:
        """A change to the project in ``row`` (which must carry the columns :func:`change`
        locks: at least id, stage, status, version, audit_seq, audit_head, definition_key
        and definition_version); its version is checked when the batch is written."""
        ch = ProjectChange(
            self.uow, row, self._wf.catalog.of(row), actor_id=_actor_id(actor), now=self.now
        )
        self.changes.append(ch)
        return ch

    def mail(self, *mails: Mail) -> None:
        """Queue mail that belongs to no single change (e.g. a digest)."""
        self.mails.extend(mails)


@contextmanager
def batch(wf: Workflow, *, now: datetime) -> Iterator[Batch]:
    """A unit of work for many changes at ``now``, written together when the block ends.

    Raises:
        ConcurrentUpdate: a project changed after it was read.
    """
    with wf.db.unit() as uow:
        work = Batch(uow, wf, now)
        yield work
        _write(uow.sql, work.changes, work.mails, now)
        uow.commit()
