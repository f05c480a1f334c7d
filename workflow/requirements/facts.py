"""What a project's gate requirements are checked against, read from the database."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from workflow.definitions import Definition
from workflow.domain.values import as_day
from workflow.queries.application_rows import application_fact
from workflow.requirements.base import BenefitFact, PartnerFact, ReportFact
from workflow.requirements.evaluate import ProjectFacts
from workflow.store.fastsql import Sql

# driver-level: a submit reads it in its write transaction (SPEC B9)
_PARTNERS = (
    "SELECT o.type, pp.status, o.approved_research FROM organisations o "
    "JOIN project_partners pp ON pp.organisation_id = o.id "
    "WHERE pp.project_id = %(project)s ORDER BY pp.id"
)


def partner_facts(conn: Connection | Sql, project_id: int) -> tuple[PartnerFact, ...]:
    """Each partner organisation of a project: its type, status and approval."""
    rows = Sql.of(conn).all(_PARTNERS, {"project": project_id})
    return tuple(PartnerFact(t, s, bool(a)) for t, s, a in rows)


_REPORTS = "SELECT kind, status FROM reports WHERE project_id = %(project)s ORDER BY id"


def report_facts(conn: Connection | Sql, project_id: int) -> tuple[ReportFact, ...]:
    """Each report of a project: its kind and status."""
    rows = Sql.of(conn).all(_REPORTS, {"project": project_id})
    return tuple(ReportFact(k, s) for k, s in rows)


_OPEN_FOLLOW_UPS = (
    "SELECT count(*) FROM follow_ups f JOIN gate_reviews r ON r.id = f.review_id "
    "WHERE f.project_id = %(project)s AND f.closed_at IS NULL AND r.outcome = 'go'"
)


def open_follow_ups(conn: Connection | Sql, project_id: int) -> int:
    """How many follow-ups of the project's passed gates are still open."""
    return int(Sql.of(conn).scalar(_OPEN_FOLLOW_UPS, {"project": project_id}) or 0)


_LESSON = "SELECT 1 FROM lessons WHERE project_id = %(project)s"


def has_lesson(conn: Connection | Sql, project_id: int) -> bool:
    """Whether the project has a lesson learned."""
    return bool(Sql.of(conn).all(_LESSON, {"project": project_id}))


_BENEFITS = (
    "SELECT b.baseline_value, b.baseline_on, b.target_value, b.target_on, b.owner_id, "
    "(SELECT MAX(m.measured_on) FROM measurements m WHERE m.benefit_id = b.id) "
    "FROM benefits b WHERE b.project_id = %(project)s ORDER BY b.id"
)


def benefit_facts(conn: Connection | Sql, project_id: int) -> tuple[BenefitFact, ...]:
    """Each benefit of a project: baseline, target and owner given, and its newest
    measurement's day."""
    rows = Sql.of(conn).all(_BENEFITS, {"project": project_id})
    return tuple(
        BenefitFact(
            has_baseline=bv is not None and bo is not None,
            has_target=tv is not None and to is not None,
            has_owner=owner is not None,
            target_on=as_day(to),
            last_measured_on=as_day(last),
        )
        for bv, bo, tv, to, owner, last in rows
    )


_ROLES = "SELECT DISTINCT role FROM project_roles WHERE project_id = %(project)s"
_ATTACHMENTS = "SELECT DISTINCT type FROM attachments WHERE project_id = %(project)s"


def role_facts(conn: Connection | Sql, project_id: int) -> frozenset[str]:
    """The project roles of a project that are filled."""
    return frozenset(r for (r,) in Sql.of(conn).all(_ROLES, {"project": project_id}))


def attachment_facts(conn: Connection | Sql, project_id: int) -> frozenset[str]:
    """The attachment types a project holds a file of."""
    return frozenset(t for (t,) in Sql.of(conn).all(_ATTACHMENTS, {"project": project_id}))


def facts_of(
    conn: Connection,
    row: Mapping[Any, Any],
    spec: Definition | None = None,
    *,
    now: datetime,
    zone: ZoneInfo,
) -> ProjectFacts:
    """What the requirements of the project's current stage's gates are checked against
    (the current application's call rules as at ``now``, its call's dates in ``zone``).

    Given the project's definition, the application and the reports are read only where a
    gate of the stage asks about them.
    """
    gates = spec.gates_from(row["stage"]) if spec is not None else None

    def asked(*kinds: str) -> bool:
        return gates is None or any(getattr(g.requires, k) for g in gates for k in kinds)

    found = partner_facts(conn, row["id"])
    application = None
    if asked("application", "call_rules"):
        types = [p.type for p in found]
        application = application_fact(conn, row["id"], types, now=now, zone=zone)
    return ProjectFacts(
        fields=row["fields"],
        checklist_done=frozenset(row["checklist"].get(row["stage"], [])),
        partners=found,
        application=application,
        reports=report_facts(conn, row["id"]) if asked("reports") else (),
        open_follow_ups=open_follow_ups(conn, row["id"]) if asked("follow_ups_closed") else 0,
        has_lesson=has_lesson(conn, row["id"]) if asked("lesson") else False,
        benefits=benefit_facts(conn, row["id"]) if asked("benefits", "measurements") else (),
        roles=role_facts(conn, row["id"]) if asked("roles") else frozenset(),
        attachments=attachment_facts(conn, row["id"]) if asked("attachments") else frozenset(),
        stage_round=int(row.get("stage_round") or 1),
        today=now.astimezone(zone).date(),
    )
