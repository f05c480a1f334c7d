"""The read side of benefit realisation: a project's plan with each benefit's series of
measurements, a benefit owner's due measurements, the flag for benefits unmeasured after
their target date, and the portfolio's planned versus realised benefits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, ScalarSelect, and_, func, select

from workflow.domain.benefits import BENEFIT_TYPES, is_unmeasured_after_target, misses_target
from workflow.domain.lifecycle import KILLED
from workflow.errors import NotFound
from workflow.runtime import Workflow
from workflow.store.tables import benefits, measurements, projects, users

#: how many days before a benefit's target date its measurement counts as due
DUE_WINDOW_DAYS = 30


@dataclass(frozen=True)
class BenefitPlan:
    """A project's benefit realisation plan.

    Attributes:
        items: each benefit as a dict of its columns, with ``owner_name``, ``measurements``
            (oldest first: id, value, measured_on, comment, recorded_by, recorded_at),
            ``last`` (the newest measurement or None), ``reached`` (the newest value meets
            the target) and ``unmeasured_after_target``.
        flagged: some benefit's target date has passed without a measurement on or after it.
        version, owner_id, status: the project's.
    """

    project_id: int
    version: int
    owner_id: int
    status: str
    items: list[dict[str, Any]] = field(default_factory=list)
    flagged: bool = False


def project_benefits(wf: Workflow, project_id: int, *, today: date | None = None) -> BenefitPlan:
    """A project's benefits in the order they were added, each with its measurements.

    Two queries whatever the plan's size: the project with its benefits, then all their
    measurements.

    Raises:
        NotFound: there is no such project.
    """
    today = today or wf.today()
    query = (
        select(
            projects.c.version.label("project_version"),
            projects.c.owner_id.label("project_owner_id"),
            projects.c.status.label("project_status"),
            benefits,
            users.c.name.label("owner_name"),
        )
        .select_from(projects)
        .outerjoin(benefits, benefits.c.project_id == projects.c.id)
        .outerjoin(users, users.c.id == benefits.c.owner_id)
        .where(projects.c.id == project_id)
        .order_by(benefits.c.id)
    )
    with wf.db.read() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
        if not rows:
            raise NotFound("no_project", project=project_id)
        ids = [r["id"] for r in rows if r["id"] is not None]
        series: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        if ids:
            found = conn.execute(
                select(measurements)
                .where(measurements.c.benefit_id.in_(ids))
                .order_by(measurements.c.benefit_id, measurements.c.measured_on, measurements.c.id)
            ).mappings()
            for m in found:
                series[m["benefit_id"]].append(dict(m))
    first = rows[0]
    items = []
    for r in rows:
        if r["id"] is None:
            continue
        item = {k: v for k, v in r.items() if not k.startswith("project_")}
        item["project_id"] = project_id
        item["measurements"] = series[r["id"]]
        last = series[r["id"]][-1] if series[r["id"]] else None
        item["last"] = last
        item["reached"] = (
            last is not None
            and r["target_value"] is not None
            and not misses_target(last["value"], r["baseline_value"], r["target_value"])
        )
        item["unmeasured_after_target"] = is_unmeasured_after_target(
            r["target_on"], last["measured_on"] if last else None, today
        )
        items.append(item)
    return BenefitPlan(
        project_id=project_id,
        version=first["project_version"],
        owner_id=first["project_owner_id"],
        status=first["project_status"],
        items=items,
        flagged=any(i["unmeasured_after_target"] for i in items),
    )


def _last_measured() -> ScalarSelect[Any]:
    """The newest measurement day of the benefit in the outer query (correlated)."""
    return (
        select(func.max(measurements.c.measured_on))
        .where(measurements.c.benefit_id == benefits.c.id)
        .correlate(benefits)
        .scalar_subquery()
    )


def measurement_tasks(conn: Connection, user_id: int, today: date) -> list[dict[str, Any]]:
    """The measurements due from a benefit owner: each benefit they own, of a project that
    is not killed, whose target date is at most :data:`DUE_WINDOW_DAYS` away (or has passed)
    and that has no measurement on or after the target date. Soonest first; walks the
    ``(owner_id, target_on)`` index.

    Each task: ``kind`` ("measurement"), ``project_id``, ``project_title``, ``due_on`` (the
    target date), ``ref_id`` (the benefit's id), ``title`` (the benefit's description).
    """
    last = _last_measured()
    query = (
        select(
            benefits.c.id,
            benefits.c.project_id,
            benefits.c.description,
            benefits.c.target_on,
            projects.c.title,
        )
        .join(projects, projects.c.id == benefits.c.project_id)
        .where(
            benefits.c.owner_id == user_id,
            benefits.c.target_on.is_not(None),
            benefits.c.target_on <= today + timedelta(days=DUE_WINDOW_DAYS),
            projects.c.status != KILLED,
            func.coalesce(last, date(1, 1, 1)) < benefits.c.target_on,
        )
        .order_by(benefits.c.target_on, benefits.c.id)
        .limit(200)
    )
    return [
        {
            "kind": "measurement",
            "project_id": r["project_id"],
            "project_title": r["title"],
            "due_on": r["target_on"],
            "ref_id": r["id"],
            "title": r["description"],
        }
        for r in conn.execute(query).mappings()
    ]


def flagged_projects(conn: Connection, project_ids: list[int], today: date) -> set[int]:
    """Of ``project_ids``, those with a benefit whose target date has passed without a
    measurement on or after it (one query, bounded by the ids given)."""
    if not project_ids:
        return set()
    last = _last_measured()
    query = (
        select(benefits.c.project_id)
        .where(
            benefits.c.project_id.in_(project_ids),
            benefits.c.target_on < today,
            func.coalesce(last, date(1, 1, 1)) < benefits.c.target_on,
        )
        .distinct()
    )
    return set(conn.execute(query).scalars())


def realised_value(item: dict[str, Any]) -> int:
    """The NOK per year a benefit has realised: its price once its newest measurement meets
    the target, else 0 (a priced benefit is realised or not)."""
    return int(item["nok_per_year"] or 0) if item.get("reached") else 0


def benefit_sums(conn: Connection, project_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Per project: planned and realised NOK per year and the count of benefits per type
    (planned, and realised: the newest measurement meets the target).

    One aggregate query over benefits joined to their newest measurement; ``project_ids``
    limits it (None: every project that is not killed).
    """
    newest = (
        select(
            measurements.c.benefit_id,
            func.max(measurements.c.measured_on).label("on"),
        )
        .group_by(measurements.c.benefit_id)
        .subquery("newest")
    )
    latest = (
        select(measurements.c.benefit_id, func.max(measurements.c.value).label("value"))
        .join(
            newest,
            and_(
                newest.c.benefit_id == measurements.c.benefit_id,
                newest.c.on == measurements.c.measured_on,
            ),
        )
        .group_by(measurements.c.benefit_id)
        .subquery("latest")
    )
    query = (
        select(
            benefits.c.project_id,
            benefits.c.type,
            benefits.c.nok_per_year,
            benefits.c.baseline_value,
            benefits.c.target_value,
            latest.c.value.label("last_value"),
        )
        .join(projects, projects.c.id == benefits.c.project_id)
        .outerjoin(latest, latest.c.benefit_id == benefits.c.id)
        .where(projects.c.status != KILLED)
    )
    if project_ids is not None:
        query = query.where(benefits.c.project_id.in_(project_ids))
    sums: dict[int, dict[str, Any]] = {}
    for r in conn.execute(query).mappings():
        s = sums.setdefault(
            r["project_id"],
            {
                "project_id": r["project_id"],
                "planned_nok": 0,
                "realised_nok": 0,
                "planned": dict.fromkeys(BENEFIT_TYPES, 0),
                "realised": dict.fromkeys(BENEFIT_TYPES, 0),
            },
        )
        reached = (
            r["last_value"] is not None
            and r["target_value"] is not None
            and not misses_target(r["last_value"], r["baseline_value"], r["target_value"])
        )
        s["planned_nok"] += int(r["nok_per_year"] or 0)
        s["planned"][r["type"]] += 1
        if reached:
            s["realised_nok"] += int(r["nok_per_year"] or 0)
            s["realised"][r["type"]] += 1
    return list(sums.values())


@dataclass(frozen=True)
class BenefitGroup:
    """Planned versus realised benefits of one thematic area or collaboration form."""

    key: str | None
    planned_nok: int = 0
    realised_nok: int = 0
    planned: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BENEFIT_TYPES, 0))
    realised: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BENEFIT_TYPES, 0))


@dataclass(frozen=True)
class PortfolioBenefits:
    """Planned versus realised benefits per thematic area and per collaboration form
    (definition key), and per project (for the export)."""

    by_area: list[BenefitGroup]
    by_form: list[BenefitGroup]
    by_project: dict[int, dict[str, Any]]


def portfolio_benefits(wf: Workflow) -> PortfolioBenefits:
    """Planned and realised NOK per year and counts by type, per thematic area and per
    collaboration form (killed projects left out). Two queries: the per-project sums and
    the projects' area and form."""
    with wf.db.read() as conn:
        sums = benefit_sums(conn)
        ids = [s["project_id"] for s in sums]
        keys = {
            r["id"]: (r["thematic_area"], r["definition_key"])
            for r in conn.execute(
                select(projects.c.id, projects.c.thematic_area, projects.c.definition_key).where(
                    projects.c.id.in_(ids)
                )
            ).mappings()
        }
    areas: dict[str | None, BenefitGroup] = {}
    forms: dict[str | None, BenefitGroup] = {}
    for s in sums:
        area, form = keys[s["project_id"]]
        for groups, key in ((areas, area), (forms, form)):
            g = groups.setdefault(key, BenefitGroup(key))
            groups[key] = BenefitGroup(
                key,
                g.planned_nok + s["planned_nok"],
                g.realised_nok + s["realised_nok"],
                {t: g.planned[t] + s["planned"][t] for t in BENEFIT_TYPES},
                {t: g.realised[t] + s["realised"][t] for t in BENEFIT_TYPES},
            )

    def ordered(groups: dict[str | None, BenefitGroup]) -> list[BenefitGroup]:
        return sorted(groups.values(), key=lambda g: (-g.planned_nok, g.key or ""))

    return PortfolioBenefits(ordered(areas), ordered(forms), {s["project_id"]: s for s in sums})


def flagged_project_list(
    wf: Workflow, *, today: date | None = None, limit: int = 20
) -> list[dict[str, Any]]:
    """Projects (not killed) with a benefit whose target date has passed without a
    measurement on or after it: id, title and the earliest missed target date, longest
    missed first, at most ``limit``."""
    today = today or wf.today()
    last = _last_measured()
    query = (
        select(
            benefits.c.project_id,
            projects.c.title,
            func.min(benefits.c.target_on).label("missed_on"),
        )
        .join(projects, projects.c.id == benefits.c.project_id)
        .where(
            benefits.c.target_on < today,
            projects.c.status != KILLED,
            func.coalesce(last, date(1, 1, 1)) < benefits.c.target_on,
        )
        .group_by(benefits.c.project_id, projects.c.title)
        .order_by(func.min(benefits.c.target_on), benefits.c.project_id)
        .limit(limit)
    )
    with wf.db.read() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
