"""Application rows with their call's rule columns, and the call's rules evaluated on them:
what the read side and the gate requirements share (no dependency on either)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from workflow.domain import call_rules
from workflow.requirements.base import ApplicationFact
from workflow.store.tables import applications, calls, organisations, partners, projects, users

#: the call's columns its rules read, and those an application's reader sees
CALL_RULE_COLUMNS = (
    "opens_on",
    "deadline",
    "earliest_start",
    "latest_start",
    "latest_end",
    "min_amount",
    "max_amount",
    "max_support_rate",
    "required_partners",
)
_CALL_SHOWN = ("funder", "title", "url", "decision_expected_on")
#: the statuses of an application still in progress: a project has at most one
IN_PROGRESS = ("draft", "submitted")

_applicant = aliased(organisations, name="applicant")
_owner_org = aliased(organisations, name="owner_org")


def application_query() -> Any:
    call_columns = [calls.c[name].label(f"call_{name}") for name in CALL_RULE_COLUMNS]
    call_columns += [calls.c[name].label(f"call_{name}") for name in _CALL_SHOWN]
    return (
        select(
            applications,
            *call_columns,
            _applicant.c.name.label("applicant_name"),
            _applicant.c.type.label("applicant_type"),
            _owner_org.c.id.label("owner_organisation_id"),
            _owner_org.c.name.label("owner_organisation_name"),
            _owner_org.c.type.label("owner_organisation_type"),
        )
        .join(calls, calls.c.id == applications.c.call_id)
        .join(projects, projects.c.id == applications.c.project_id)
        .join(users, users.c.id == projects.c.owner_id)
        .outerjoin(_applicant, _applicant.c.id == applications.c.applicant_organisation_id)
        .outerjoin(_owner_org, _owner_org.c.id == users.c.organisation_id)
    )


def partner_types(conn: Connection, project_id: int) -> list[str]:
    """The organisation type of each of the project's partners."""
    return list(
        conn.execute(
            select(organisations.c.type)
            .join(partners, partners.c.organisation_id == organisations.c.id)
            .where(partners.c.project_id == project_id)
        ).scalars()
    )


def applicant_type(row: Mapping[Any, Any]) -> str | None:
    """The applicant's organisation type: the named applicant's, else the owner's
    organisation's (None when the owner belongs to none)."""
    if row["applicant_organisation_id"] is not None:
        return row["applicant_type"]  # type: ignore[no-any-return]
    return row["owner_organisation_type"]  # type: ignore[no-any-return]


def rules_of(
    row: Mapping[Any, Any], types: Iterable[str], *, now: datetime, zone: ZoneInfo
) -> list[Any]:
    """The call's rules for the application in ``row`` (a row of :func:`_query`).

    A submitted or decided application is judged as at its submission (the call was open
    then); a draft as at ``now``.
    """
    call = {name: row[f"call_{name}"] for name in CALL_RULE_COLUMNS}
    moment = row["submitted_at"] or now
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return call_rules.evaluate(
        call,
        row,
        applicant_type=applicant_type(row),
        partner_types=types,
        now=moment,
        zone=zone,
    )


def application_row(
    conn: Connection, project_id: int, application_id: int | None = None
) -> Mapping[Any, Any] | None:
    """The row (with its call's rule columns) of an application, or the project's current
    one when ``application_id`` is None."""
    query = application_query().where(applications.c.project_id == project_id)
    if application_id is not None:
        query = query.where(applications.c.id == application_id)
    return conn.execute(query.order_by(applications.c.id.desc()).limit(1)).mappings().first()


def application_fact(
    conn: Connection,
    project_id: int,
    types: Iterable[str],
    *,
    now: datetime,
    zone: ZoneInfo,
) -> ApplicationFact | None:
    """The current application as the gate requirements see it (None when there is none)."""
    row = application_row(conn, project_id)
    if row is None:
        return None
    broken = tuple(c.key for c in rules_of(row, types, now=now, zone=zone) if not c.met)
    return ApplicationFact(status=row["status"], call_rules_unmet=broken)
