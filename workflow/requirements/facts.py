"""What a project's gate requirements are checked against, read from the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from workflow.requirements.evaluate import ProjectFacts
from workflow.store.fastsql import Sql

# driver-level: a submit reads it in its write transaction (SPEC B9)
_PARTNER_TYPES = (
    "SELECT o.type, count(DISTINCT o.id) FROM organisations o "
    "JOIN project_partners pp ON pp.organisation_id = o.id "
    "WHERE pp.project_id = %(project)s GROUP BY o.type"
)


def partner_type_counts(conn: Connection | Sql, project_id: int) -> dict[str, int]:
    """How many distinct partner organisations of each type a project has."""
    return dict(Sql.of(conn).all(_PARTNER_TYPES, {"project": project_id}))


def facts_of(conn: Connection | Sql, row: Mapping[Any, Any]) -> ProjectFacts:
    """What the requirements of the project's current stage's gates are checked against."""
    return ProjectFacts(
        fields=row["fields"],
        checklist_done=frozenset(row["checklist"].get(row["stage"], [])),
        partner_types=partner_type_counts(conn, row["id"]),
    )
