"""What a project's gate requirements are checked against, read from the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from workflow.definitions import Definition
from workflow.requirements.base import PartnerFact, ReportFact
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


def facts_of(
    conn: Connection | Sql, row: Mapping[Any, Any], spec: Definition | None = None
) -> ProjectFacts:
    """What the requirements of the project's current stage's gates are checked against.

    Given the project's definition, the reports are read only where a gate of the stage
    asks about them.
    """
    asks = spec is None or any(g.requires.reports for g in spec.gates_from(row["stage"]))
    return ProjectFacts(
        fields=row["fields"],
        checklist_done=frozenset(row["checklist"].get(row["stage"], [])),
        partners=partner_facts(conn, row["id"]),
        reports=report_facts(conn, row["id"]) if asks else (),
    )
