"""My tasks: what waits for a user, gathered from one provider per kind of task.

A provider is a function ``(conn, user_id, today) -> list[Task]`` that runs one bounded,
indexed query; :data:`PROVIDERS` lists them, so a new kind of task is one function and one
line there. :func:`my_tasks` runs them all on one read connection and orders the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, exists, false, or_, select

from workflow.definitions import Definition
from workflow.domain.lifecycle import ACTIVE, IN_REVIEW, KILLED
from workflow.domain.voting import conflict_in, may_vote
from workflow.queries.benefits import measurement_tasks
from workflow.queries.discussion import room_tasks
from workflow.queries.governance import standing_in_for
from workflow.queries.lessons import lesson_tasks
from workflow.queries.projects import review_sla
from workflow.runtime import Actor, Workflow
from workflow.store.catalog import Catalog
from workflow.store.conflicts import chains_of
from workflow.store.fastsql import Sql
from workflow.store.tables import projects, reports, reviews, users, votes

#: the most tasks of one kind a provider returns: the list stays bounded as data grows
LIMIT = 100
#: a report is a task from this many days before it is due (the first reminder's day)
REPORT_DAYS_AHEAD = 14


@dataclass(frozen=True)
class Task:
    """One thing waiting for a user.

    Attributes:
        kind: what to do: ``vote``, ``recycled``, ``report``, … (one per provider).
        project_id, project_title: the project it is about.
        due_on: the day it should be done by, if any.
        since: when it started waiting, if known.
        ref_id: the row it is about (a review, a report, …), if any.
        params: what the wording of the task needs (gate, SLA, feedback, …).
    """

    kind: str
    project_id: int
    project_title: str
    due_on: date | None = None
    since: datetime | None = None
    ref_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Connection, int, date], "Sequence[Task] | Sequence[Mapping[str, Any]]"]

#: where :func:`my_tasks` leaves the workflow's catalog for the providers on the connection
CATALOG_KEY = "samspill.tasks.catalog"


def _catalog(conn: Connection) -> Catalog:
    """The definition catalog for ``conn``: the workflow's own when :func:`my_tasks` runs the
    provider, else read from the database."""
    catalog = conn.info.get(CATALOG_KEY)
    return catalog if isinstance(catalog, Catalog) else Catalog().load(conn)


def _votable(catalog: Catalog, voter: Actor) -> Any:
    clauses = []
    for (key, version), spec in catalog.versions():
        gates = [g.key for g in spec.gates if may_vote(voter, g)]
        if gates:
            clauses.append(
                and_(
                    projects.c.definition_key == key,
                    projects.c.definition_version == version,
                    projects.c.pending_gate.in_(gates),
                )
            )
    return or_(*clauses) if clauses else false()


def _voters(conn: Connection, user_id: int, today: date) -> list[Actor]:
    """The user as a voter of their own group, and of each group they stand in for today."""
    row = conn.execute(
        select(users.c.email, users.c.name, users.c.role, users.c.gatekeeper_group).where(
            users.c.id == user_id
        )
    ).first()
    if row is None:
        return []
    groups = [g for g, _ in standing_in_for(conn, user_id, today)]
    if row.role == "gatekeeper" and row.gatekeeper_group:
        groups.insert(0, row.gatekeeper_group)
    return [Actor(user_id, row.email, row.name, "gatekeeper", g) for g in dict.fromkeys(groups)]


def vote_tasks(conn: Connection, user_id: int, today: date) -> list[Task]:
    """Reviews waiting for the user's vote (in their group, or a group they stand in for as
    a named substitute), oldest first, with how long they have waited and the gate's review
    SLA (for a gate without one, the SLA of the stage they wait in); projects where the user
    is conflicted are left out."""
    voters = _voters(conn, user_id, today)
    if not voters:
        return []
    catalog = _catalog(conn)
    voted = exists().where(
        votes.c.review_id == projects.c.pending_review_id, votes.c.voter_id == user_id
    )
    rows = conn.execute(
        select(
            projects.c.id,
            projects.c.title,
            projects.c.definition_key,
            projects.c.definition_version,
            projects.c.pending_gate,
            projects.c.pending_review_id,
            projects.c.stage,
            reviews.c.submitted_at,
        )
        .join(reviews, reviews.c.id == projects.c.pending_review_id)
        .where(
            projects.c.status == IN_REVIEW,
            projects.c.owner_id != user_id,
            or_(*(_votable(catalog, voter) for voter in voters)),
            ~voted,
        )
        .order_by(reviews.c.submitted_at, projects.c.id)
        .limit(LIMIT)
    ).all()
    specs = {r.id: catalog.get(r.definition_key, r.definition_version) for r in rows}
    blocking = [r.id for r in rows if specs[r.id].gate(r.pending_gate).blocks_conflicts]
    chains = chains_of(Sql.of(conn), user_id, blocking) if blocking else {}
    tasks = []
    for r in rows:
        gate = specs[r.id].gate(r.pending_gate)
        if conflict_in(gate, chains.get(r.id, ())) is not None:
            continue
        tasks.append(_vote_task(r, specs[r.id], today))
    return tasks


def _vote_task(r: Any, spec: Definition, today: date) -> Task:
    gate = spec.gate(r.pending_gate)
    sla = review_sla(spec, gate)
    submitted_on = r.submitted_at.date()
    point = gate.decision_point
    return Task(
        kind="vote",
        project_id=r.id,
        project_title=r.title,
        due_on=submitted_on + timedelta(days=sla) if sla else None,
        since=r.submitted_at,
        ref_id=r.pending_review_id,
        params={
            "gate": gate.key,
            "gate_title": gate.title.model_dump(),
            "decision_point": point.model_dump() if point else None,
            "waited_days": max(0, (today - submitted_on).days),
            "sla_days": sla,
        },
    )


def recycled_tasks(conn: Connection, user_id: int, today: date) -> list[Task]:
    """The user's projects the board sent back, with its feedback, until resubmitted."""
    later = reviews.alias("later")
    newer = exists().where(later.c.project_id == reviews.c.project_id, later.c.id > reviews.c.id)
    rows = conn.execute(
        select(
            projects.c.id,
            projects.c.title,
            reviews.c.id.label("review_id"),
            reviews.c.gate_key,
            reviews.c.decided_at,
            votes.c.comment,
        )
        .join(reviews, reviews.c.project_id == projects.c.id)
        .join(votes, and_(votes.c.review_id == reviews.c.id, votes.c.decision == "recycle"))
        .where(
            projects.c.owner_id == user_id,
            projects.c.status == ACTIVE,
            reviews.c.outcome == "recycle",
            ~newer,
        )
        .order_by(reviews.c.decided_at.desc(), projects.c.id)
        .limit(LIMIT)
    ).all()
    return [
        Task(
            kind="recycled",
            project_id=r.id,
            project_title=r.title,
            since=r.decided_at,
            ref_id=r.review_id,
            params={"gate": r.gate_key, "feedback": r.comment},
        )
        for r in rows
    ]


def report_tasks(conn: Connection, user_id: int, today: date) -> list[Task]:
    """Reports of the user's projects not yet delivered, from 14 days before they are due."""
    rows = conn.execute(
        select(
            projects.c.id,
            projects.c.title,
            reports.c.id.label("report_id"),
            reports.c.kind,
            reports.c.due_on,
        )
        .join(projects, projects.c.id == reports.c.project_id)
        .where(
            projects.c.owner_id == user_id,
            projects.c.status != KILLED,
            reports.c.status == "due",
            reports.c.due_on <= today + timedelta(days=REPORT_DAYS_AHEAD),
        )
        .order_by(reports.c.due_on, reports.c.id)
        .limit(LIMIT)
    ).all()
    return [
        Task(
            kind="report",
            project_id=r.id,
            project_title=r.title,
            due_on=r.due_on,
            ref_id=r.report_id,
            params={"report_kind": r.kind, "overdue": r.due_on < today},
        )
        for r in rows
    ]


#: every kind of task: a new kind is one provider function and one line here
PROVIDERS: tuple[Provider, ...] = (
    vote_tasks,
    recycled_tasks,
    report_tasks,
    measurement_tasks,  # benefit owners: measurements due
    lesson_tasks,  # owners of ended projects: the lesson asked for
    room_tasks,  # mentions, open questions to the owner, conditions to follow up
)


def as_task(item: Task | Mapping[str, Any]) -> Task:
    """A provider's item as a :class:`Task`: a dict with ``kind``, ``project_id``,
    ``project_title``, ``due_on`` and ``ref_id`` (and optional ``since``, ``params``) is
    turned into one."""
    if isinstance(item, Task):
        return item
    return Task(
        kind=item["kind"],
        project_id=item["project_id"],
        project_title=item["project_title"],
        due_on=item.get("due_on"),
        since=item.get("since"),
        ref_id=item.get("ref_id"),
        params=dict(item.get("params") or {}),
    )


def _order(task: Task) -> tuple[Any, ...]:
    return (task.due_on is None, task.due_on or date.max, task.project_id, task.kind)


def my_tasks(wf: Workflow, actor: Actor, *, today: date | None = None) -> list[Task]:
    """Everything waiting for ``actor``, those with the nearest due day first.

    Each provider returns at most :data:`LIMIT` tasks with one bounded query.
    """
    day = today or wf.today()
    with wf.db.read() as conn:
        conn.info[CATALOG_KEY] = wf.catalog
        found = [as_task(t) for provider in PROVIDERS for t in provider(conn, actor.id, day)]
    return sorted(found, key=_order)
