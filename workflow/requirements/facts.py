"""What a project's gate requirements are checked against, read from the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, func, select

from workflow.requirements.evaluate import ProjectFacts
from workflow.store.tables import Organisation, ProjectPartner, table

_partners = table(ProjectPartner)
_organisations = table(Organisation)


def partner_type_counts(conn: Connection, project_id: int) -> dict[str, int]:
    """How many distinct partner organisations of each type a project has."""
    rows = conn.execute(
        select(_organisations.c.type, func.count(func.distinct(_organisations.c.id)))
        .join(_partners, _partners.c.organisation_id == _organisations.c.id)
        .where(_partners.c.project_id == project_id)
        .group_by(_organisations.c.type)
    )
    return {r[0]: r[1] for r in rows}


def facts_of(conn: Connection, row: Mapping[Any, Any]) -> ProjectFacts:
    """What the requirements of the project's current stage's gates are checked against."""
    return ProjectFacts(
        fields=row["fields"],
        checklist_done=frozenset(row["checklist"].get(row["stage"], [])),
        partner_types=partner_type_counts(conn, row["id"]),
    )
