"""The read side: project lists, a project's full view, gate queues, stalled projects, funnel.

Every list is paginated and counted in SQL with indexed filters; nothing loads all projects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    exists,
    false,
    func,
    or_,
    select,
)

from workflow.definitions import Definition, Gate
from workflow.domain.lifecycle import ACTIVE, IN_REVIEW, STATUSES
from workflow.domain.stalls import stall_reason
from workflow.domain.voting import conflict_in, may_vote
from workflow.errors import InvalidInput, NotFound, Problem
from workflow.queries.fulltext import MatchesProject
from workflow.requirements.evaluate import evaluate
from workflow.requirements.facts import facts_of
from workflow.runtime import Actor, Workflow
from workflow.store.conflicts import chains_of
from workflow.store.fastsql import Sql
from workflow.store.fold import contains
from workflow.store.tables import (
    events,
    organisations,
    partners,
    projects,
    reviews,
    users,
    votes,
)

MAX_PER_PAGE = 100
STALL_STATUSES = (ACTIVE, IN_REVIEW)


@dataclass(frozen=True)
class ProjectFilter:
    """Filters of the project list; ``None`` means no filter."""

    definition: str | None = None
    stage: str | None = None
    status: str | None = None
    stalled: bool | None = None
    q: str | None = None
    thematic_area: str | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class Page:
    """One page of a list, with the total over all pages."""

    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))


_SUMMARY = (
    projects.c.id,
    projects.c.definition_key,
    projects.c.definition_version,
    projects.c.title,
    projects.c.stage,
    projects.c.stage_round,
    projects.c.status,
    projects.c.version,
    projects.c.owner_id,
    projects.c.thematic_area,
    projects.c.created_at,
    projects.c.updated_at,
    projects.c.last_activity_at,
    projects.c.stale_at,
    projects.c.pending_gate,
    users.c.name.label("owner_name"),
)


def is_stalled(row: Any, now: datetime) -> bool:
    """Whether a project row (with status and stale_at) is stalled at ``now``."""
    return bool(row["status"] in STALL_STATUSES and row["stale_at"] and row["stale_at"] < now)


def _stalled_clause(now: datetime) -> ColumnElement[bool]:
    return and_(projects.c.status.in_(STALL_STATUSES), projects.c.stale_at < now)


def filtered(query: Select[Any], f: ProjectFilter, now: datetime) -> Select[Any]:
    """``query`` restricted to the projects matching ``f`` at ``now``; InvalidInput if wrong."""
    if f.status is not None and f.status not in STATUSES:
        raise InvalidInput({"status": Problem("not_one_of", {"choices": list(STATUSES)})})
    conditions: list[ColumnElement[bool]] = []
    if f.definition:
        conditions.append(projects.c.definition_key == f.definition)
    if f.stage:
        conditions.append(projects.c.stage == f.stage)
    if f.status:
        conditions.append(projects.c.status == f.status)
    if f.thematic_area:
        conditions.append(projects.c.thematic_area == f.thematic_area)
    if f.owner_id is not None:
        conditions.append(projects.c.owner_id == f.owner_id)
    if f.stalled is True:
        conditions.append(_stalled_clause(now))
    elif f.stalled is False:
        conditions.append(~_stalled_clause(now) | projects.c.stale_at.is_(None))
    if f.q and f.q.strip():
        q = f.q.strip()
        found = [contains(projects.c.title, q), contains(projects.c.summary, q)]
        if all(c.isalnum() or c in " -" for c in q):  # words: their inflections too
            found.append(MatchesProject(q))
        conditions.append(or_(*found))
    return query.where(*conditions)


def _page_args(page: int, per_page: int) -> tuple[int, int]:
    errors = {}
    if not isinstance(page, int) or page < 1 or page > 1_000_000:
        errors["page"] = Problem("number_from", {"min": 1})
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"] = Problem("number_between", {"min": 1, "max": MAX_PER_PAGE})
    if errors:
        raise InvalidInput(errors)
    return page, per_page


def _summary(row: Any, now: datetime) -> dict[str, Any]:
    item = dict(row)
    item["stalled"] = is_stalled(row, now)
    return item


def list_projects(
    wf: Workflow,
    filters: ProjectFilter = ProjectFilter(),
    *,
    page: int = 1,
    per_page: int = 25,
    now: datetime | None = None,
) -> Page:
    """One page of projects matching ``filters``, newest first, with the total count."""
    page, per_page = _page_args(page, per_page)
    now = now or wf.clock()
    # find the page's ids first (an index walk), then read only those rows: a deep page
    # then skips index entries, not joined rows
    ids = (
        filtered(select(projects.c.id), filters, now)
        .order_by(projects.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    query = (
        select(*_SUMMARY)
        .join(ids, ids.c.id == projects.c.id)
        .join(users, users.c.id == projects.c.owner_id)
        .order_by(projects.c.id.desc())
    )
    count = filtered(select(func.count()).select_from(projects), filters, now)
    with wf.db.read() as conn:
        total: int = conn.execute(count).scalar_one()
        items = [_summary(r, now) for r in conn.execute(query).mappings()]
    return Page(items, total, page, per_page)


@dataclass(frozen=True)
class ProjectView:
    """Everything the project page and the API's project document show."""

    project: dict[str, Any]
    partners: list[dict[str, Any]]
    checklist: dict[str, bool]
    next_gates: list[dict[str, Any]]
    review: dict[str, Any] | None = None
    votes: list[dict[str, Any]] = field(default_factory=list)


def get_project(wf: Workflow, project_id: int, *, now: datetime | None = None) -> ProjectView:
    """A project with its partners, checklist, next gates (criteria met or not) and votes.

    Raises:
        NotFound: there is no such project.
    """
    now = now or wf.clock()
    with wf.db.read() as conn:
        row = (
            conn.execute(
                select(projects, users.c.name.label("owner_name"))
                .join(users, users.c.id == projects.c.owner_id)
                .where(projects.c.id == project_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound("no_project", project=project_id)
        spec = wf.catalog.of(row)
        project = dict(row)
        project["stalled"] = is_stalled(row, now)
        #: why it counts as stalled (``review_overdue`` or ``no_activity``); None when it is not
        project["stall_reason"] = (
            stall_reason(spec, row["status"], row["pending_gate"]) if project["stalled"] else None
        )
        partner_rows = [
            dict(p)
            for p in conn.execute(
                select(
                    partners.c.id,
                    partners.c.organisation_id,
                    partners.c.role,
                    partners.c.status,
                    partners.c.invited_on,
                    partners.c.confirmed_on,
                    partners.c.letter_of_intent_on,
                    organisations.c.name,
                    organisations.c.type,
                    organisations.c.approved_research,
                )
                .join(organisations, organisations.c.id == partners.c.organisation_id)
                .where(partners.c.project_id == project_id)
                .order_by(partners.c.id)
            ).mappings()
        ]
        facts = facts_of(conn, row, spec, now=now, zone=wf.zone)
        review, vote_rows = _open_review(conn, row)
    done = facts.checklist_done
    checklist = {item.key: item.key in done for item in spec.stage(row["stage"]).checklist}
    next_gates: list[dict[str, Any]] = [
        {
            "gate": gate.key,
            "to": gate.to,
            "title": gate.title.model_dump(),
            "requires": [c.as_dict() for c in evaluate(spec, gate, facts)],
        }
        for gate in spec.gates_from(row["stage"])
    ]
    for gate in next_gates:
        gate["ready"] = all(c["met"] for c in gate["requires"])
    return ProjectView(project, partner_rows, checklist, next_gates, review, vote_rows)


def _open_review(conn: Connection, row: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    if row["pending_review_id"] is None:
        return None, []
    review = (
        conn.execute(select(reviews).where(reviews.c.id == row["pending_review_id"]))
        .mappings()
        .one()
    )
    vote_rows = conn.execute(
        select(votes, users.c.name.label("voter_name"))
        .join(users, users.c.id == votes.c.voter_id)
        .where(votes.c.review_id == review["id"])
        .order_by(votes.c.id)
    ).mappings()
    return dict(review), [dict(v) for v in vote_rows]


def project_events(wf: Workflow, project_id: int) -> list[dict[str, Any]]:
    """A project's audit trail, oldest first, with each actor's name.

    Raises:
        NotFound: there is no such project.
    """
    with wf.db.read() as conn:
        rows = [
            dict(r)
            for r in conn.execute(
                select(events, users.c.name.label("actor_name"))
                .outerjoin(users, users.c.id == events.c.actor_id)
                .where(events.c.project_id == project_id)
                .order_by(events.c.seq)
            ).mappings()
        ]
        # every project has its creation event: no rows is a project that does not exist
        if (
            not rows
            and conn.execute(select(projects.c.id).where(projects.c.id == project_id)).first()
            is None
        ):
            raise NotFound("no_project", project=project_id)
    return rows


def _votable_gates(wf: Workflow, actor: Actor) -> ColumnElement[bool]:
    """SQL matching projects whose pending gate has the actor's group in its quorum."""
    clauses = []
    for (key, version), spec in wf.catalog.versions():
        gates = [g.key for g in spec.gates if may_vote(actor, g)]
        if gates:
            clauses.append(
                and_(
                    projects.c.definition_key == key,
                    projects.c.definition_version == version,
                    projects.c.pending_gate.in_(gates),
                )
            )
    return or_(*clauses) if clauses else false()


def gate_queue(
    wf: Workflow,
    actor: Actor,
    *,
    page: int = 1,
    per_page: int = 25,
    thematic_area: str | None = None,
    definition: str | None = None,
    standing_in: Sequence[str] = (),
    order: str = "waited",
) -> Page:
    """Projects in review at a gate where the actor may vote and has not voted yet; only
    those of ``thematic_area`` and ``definition`` when given (each area's committee sees
    its own). ``standing_in``: the groups the actor votes in as a named substitute
    (:func:`workflow.substitute_groups`), whose projects are queued too.

    ``order`` (one of :data:`QUEUE_ORDERS`): ``waited`` (the longest wait first), ``title``
    or ``definition`` (then the longest wait first); anything else is an
    :class:`InvalidInput` naming ``order``.

    Each item's ``conflict`` is a :class:`Problem` when the actor has a conflict of interest
    on it (SPEC §2c, as :func:`workflow.conflict_of_interest` says), else None: found for the
    whole page in one query. Each item also has ``waited_days`` (whole days since
    submission), ``sla_days`` (:func:`review_sla`, or None), ``overdue`` (waited longer
    than that) and ``votes``: ``{group: {decision: count}}`` of the votes cast so far
    (one query for the page).
    """
    if order not in QUEUE_ORDERS:
        raise InvalidInput({"order": Problem("not_one_of", {"choices": list(QUEUE_ORDERS)})})
    page, per_page = _page_args(page, per_page)
    voted = exists().where(
        votes.c.review_id == projects.c.pending_review_id, votes.c.voter_id == actor.id
    )
    voters = [actor, *(replace(actor, role="gatekeeper", group=g) for g in standing_in)]
    where: tuple[ColumnElement[bool], ...] = (
        projects.c.status == IN_REVIEW,
        projects.c.owner_id != actor.id,
        or_(*(_votable_gates(wf, voter) for voter in voters)),
        ~voted,
    )
    if thematic_area:
        where = (*where, projects.c.thematic_area == thematic_area)
    if definition:
        where = (*where, projects.c.definition_key == definition)
    now = wf.clock()
    query = (
        select(*_SUMMARY, reviews.c.submitted_at, projects.c.pending_review_id)
        .join(users, users.c.id == projects.c.owner_id)
        .join(reviews, reviews.c.id == projects.c.pending_review_id)
        .where(*where)
        .order_by(*_QUEUE_ORDER[order], reviews.c.submitted_at, projects.c.id)
    )
    with wf.db.read() as conn:
        total = conn.execute(select(func.count()).select_from(projects).where(*where)).scalar_one()
        rows = conn.execute(query.limit(per_page).offset((page - 1) * per_page)).mappings()
        items = [_summary(r, now) for r in rows]
        blocking = [p["id"] for p in items if _gate_of(wf, p).blocks_conflicts]
        chains = chains_of(Sql.of(conn), actor.id, blocking) if blocking else {}
        cast = _votes_so_far(conn, [p["pending_review_id"] for p in items])
    for item in items:
        gate = _gate_of(wf, item)
        item["conflict"] = conflict_in(gate, chains.get(item["id"], ()))
        item["waited_days"] = max((now - item["submitted_at"]).days, 0)
        item["sla_days"] = review_sla(wf.catalog.of(item), gate)
        item["overdue"] = item["sla_days"] is not None and item["waited_days"] > item["sla_days"]
        item["votes"] = cast.get(item["pending_review_id"], {})
    return Page(items, total, page, per_page)


#: the orders of the gate queue (:func:`gate_queue`)
QUEUE_ORDERS = ("waited", "title", "definition")
_QUEUE_ORDER: dict[str, tuple[Any, ...]] = {
    "waited": (),
    "title": (func.lower(projects.c.title),),
    "definition": (projects.c.definition_key,),
}


def review_sla(definition: Definition, gate: Gate) -> int | None:
    """How many days a review at ``gate`` may take before it counts as overdue: the gate's
    ``review_sla_days``, else the ``sla_days`` of the stage it leaves (None when neither)."""
    return gate.review_sla_days or definition.stage(gate.from_).sla_days


def _votes_so_far(conn: Connection, review_ids: list[int]) -> dict[int, dict[str, dict[str, int]]]:
    """``{review: {group: {decision: count}}}`` of the votes cast in ``review_ids``."""
    if not review_ids:
        return {}
    rows = conn.execute(
        select(votes.c.review_id, votes.c.voter_group, votes.c.decision, func.count())
        .where(votes.c.review_id.in_(review_ids))
        .group_by(votes.c.review_id, votes.c.voter_group, votes.c.decision)
        .order_by(votes.c.review_id, votes.c.voter_group, votes.c.decision)
    )
    cast: dict[int, dict[str, dict[str, int]]] = {}
    for row in rows:
        review, group, decision, n = int(row[0]), str(row[1]), str(row[2]), int(row[3])
        cast.setdefault(review, {}).setdefault(group, {})[decision] = n
    return cast


def _gate_of(wf: Workflow, project: Any) -> Gate:
    return wf.catalog.of(project).gate(project["pending_gate"])


def on_hold_for(wf: Workflow, actor: Actor, *, limit: int = 50) -> list[dict[str, Any]]:
    """Projects parked at a gate where the actor may vote, so may resume them."""
    query = (
        select(*_SUMMARY)
        .join(users, users.c.id == projects.c.owner_id)
        .where(
            projects.c.status == "on_hold",
            projects.c.owner_id != actor.id,
            _votable_gates(wf, actor),
        )
        .order_by(projects.c.id)
        .limit(limit)
    )
    now = wf.clock()
    with wf.db.read() as conn:
        return [_summary(r, now) for r in conn.execute(query).mappings()]


def stalled_projects(
    wf: Workflow,
    *,
    as_of: datetime,
    page: int = 1,
    per_page: int = 100,
    filters: ProjectFilter | None = None,
) -> Page:
    """Open projects idle past their stage's SLA at ``as_of``, longest idle first; only
    those matching ``filters`` when given (the portfolio's). Each item has ``days_idle``
    and ``days_in_stage``."""
    page, per_page = _page_args(page, per_page)
    where = _stalled_clause(as_of)
    chosen = filters or ProjectFilter()
    query = filtered(
        select(*_SUMMARY, users.c.email.label("owner_email"), projects.c.stage_entered_at).join(
            users, users.c.id == projects.c.owner_id
        ),
        chosen,
        as_of,
    ).where(where)
    query = query.order_by(projects.c.last_activity_at, projects.c.id)
    counted = filtered(select(func.count()).select_from(projects), chosen, as_of).where(where)
    with wf.db.read() as conn:
        total: int = conn.execute(counted).scalar_one()
        rows = conn.execute(query.limit(per_page).offset((page - 1) * per_page)).mappings()
        items = []
        for r in rows:
            item = _summary(r, as_of)
            item["days_idle"] = (as_of - r["last_activity_at"]).days
            item["days_in_stage"] = (as_of - r["stage_entered_at"]).days
            items.append(item)
    return Page(items, total, page, per_page)


def area_counts(wf: Workflow, filters: ProjectFilter | None = None) -> dict[str | None, int]:
    """How many projects matching ``filters`` each thematic area has (``None``: no area),
    counted in one query, the largest first."""
    query = filtered(
        select(projects.c.thematic_area, func.count()).group_by(projects.c.thematic_area),
        filters or ProjectFilter(),
        wf.clock(),
    )
    with wf.db.read() as conn:
        rows = [(r[0], int(r[1])) for r in conn.execute(query)]
    return dict(sorted(rows, key=lambda r: (-r[1], r[0] or "")))


def funnel(wf: Workflow, filters: ProjectFilter = ProjectFilter()) -> dict[str, Any]:
    """Project counts per definition, stage and status, for the portfolio funnel.

    On SQLite the counts are remembered until the next change anywhere: every change
    appends an audit event, and with one writer at a time event ids are handed out in
    commit order, so the newest id is a cheap (indexed) version of all projects.
    PostgreSQL hands ids out at insert, so a lower id can commit after a higher one was
    counted; there (and for the time-dependent ``stalled`` filter) the counts are always
    computed, an index-only scan of about 10 ms at 100,000 projects.
    """
    now = wf.clock()
    query = filtered(
        select(
            projects.c.definition_key, projects.c.stage, projects.c.status, func.count()
        ).group_by(projects.c.definition_key, projects.c.stage, projects.c.status),
        filters,
        now,
    )
    with wf.db.read() as conn:
        newest = None
        remembered = _funnels.setdefault(wf, {})
        cacheable = filters.stalled is None and wf.db.is_sqlite
        if cacheable:
            newest = conn.execute(select(func.max(events.c.id))).scalar()
            hit = remembered.get(filters)
            if hit is not None and hit[0] == newest:
                return hit[1]
        counts: dict[str, dict[str, dict[str, int]]] = {}
        for r in conn.execute(query):
            counts.setdefault(r[0], {}).setdefault(r[1], {})[r[2]] = r[3]
    if cacheable:
        if len(remembered) >= 64:  # many different text searches: start afresh
            remembered.clear()
        remembered[filters] = (newest, counts)
    return counts


#: per workflow and filters, the newest audit event id a funnel was counted at, and the counts
_funnels: WeakKeyDictionary[Workflow, dict[ProjectFilter, tuple[Any, dict[str, Any]]]] = (
    WeakKeyDictionary()
)
