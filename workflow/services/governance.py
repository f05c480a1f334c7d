"""Substitutes: a gatekeeper names a user who votes in their group for a period (holiday,
leave). Each change is a ``governance_events`` row in the same transaction: a substitute
belongs to no project, so it cannot go on a project's audit chain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from workflow.errors import InvalidInput, NotFound, PermissionDenied, Problem
from workflow.queries.governance import standing_in_for
from workflow.runtime import Actor, Workflow
from workflow.store.tables import governance_events, substitutes, users

#: the longest period a substitute may be named for at a time
MAX_SUBSTITUTE_DAYS = 366


def _day(value: Any, field: str, errors: dict[str, Problem]) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        pass
    errors[field] = Problem("not_date")
    return None


def _period(starts_on: Any, ends_on: Any, today: date) -> tuple[date, date]:
    errors: dict[str, Problem] = {}
    start = _day(starts_on, "from", errors)
    end = _day(ends_on, "to", errors)
    if start is None and "from" not in errors:
        errors["from"] = Problem("required")
    if end is None and "to" not in errors:
        errors["to"] = Problem("required")
    if start and end:
        if end < start:
            errors["to"] = Problem("substitute_period_backwards")
        elif end < today:
            errors["to"] = Problem("substitute_period_past")
        elif end - start > timedelta(days=MAX_SUBSTITUTE_DAYS):
            errors["to"] = Problem("substitute_period_too_long", {"max": MAX_SUBSTITUTE_DAYS})
    if errors:
        raise InvalidInput(errors)
    if start is None or end is None:  # pragma: no cover - every such case raised above
        raise InvalidInput({"from": Problem("required")})
    return start, end


def _record(
    conn: Connection, actor: Actor, action: str, payload: Mapping[str, Any], now: datetime
) -> None:
    conn.execute(
        insert(governance_events).values(
            actor_id=actor.id, action=action, payload=dict(payload), created_at=now
        )
    )


def set_substitute(
    wf: Workflow, actor: Actor, *, user_id: Any, starts_on: Any, ends_on: Any
) -> dict[str, Any]:
    """Name ``user_id`` as the gatekeeper's substitute from ``starts_on`` to ``ends_on``
    (both included), replacing any earlier one; audited as ``substitute_named``.

    Returns:
        The substitute as :func:`substitute_of` gives it.

    Raises:
        PermissionDenied: the actor is not a gatekeeper of a group (``not_gatekeeper``).
        InvalidInput: an unknown or inactive user, oneself, or a wrong period, naming the field.
    """
    if not actor.is_gatekeeper or not actor.group:
        raise PermissionDenied("not_gatekeeper")
    start, end = _period(starts_on, ends_on, wf.today())
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        raise InvalidInput({"user_id": Problem("not_whole_number")})
    if user_id == actor.id:
        raise InvalidInput({"user_id": Problem("substitute_is_self")})
    now = wf.clock()
    with wf.db.write() as conn:
        found = conn.execute(
            select(users.c.name).where(users.c.id == user_id, users.c.is_active.is_(True))
        ).first()
        if found is None:
            raise InvalidInput({"user_id": Problem("no_user", {"user": user_id})})
        conn.execute(delete(substitutes).where(substitutes.c.user_id == actor.id))
        conn.execute(
            insert(substitutes).values(
                user_id=actor.id,
                substitute_id=user_id,
                gatekeeper_group=actor.group,
                starts_on=start,
                ends_on=end,
                created_at=now,
            )
        )
        payload = {"substitute_id": user_id, "group": actor.group}
        _record(
            conn, actor, "substitute_named", {**payload, "from": str(start), "to": str(end)}, now
        )
    return {"user_id": user_id, "name": found.name, "from": start, "to": end, "group": actor.group}


def remove_substitute(wf: Workflow, actor: Actor) -> None:
    """End the gatekeeper's substitute at once; audited as ``substitute_removed``.

    Raises:
        NotFound: the actor has no substitute (``no_substitute``).
    """
    with wf.db.write() as conn:
        gone = conn.execute(
            select(substitutes.c.substitute_id).where(substitutes.c.user_id == actor.id)
        ).scalar_one_or_none()
        if gone is None:
            raise NotFound("no_substitute")
        conn.execute(delete(substitutes).where(substitutes.c.user_id == actor.id))
        _record(conn, actor, "substitute_removed", {"substitute_id": gone}, wf.clock())


def substitute_of(wf: Workflow, actor: Actor) -> dict[str, Any] | None:
    """The gatekeeper's substitute: ``{user_id, name, from, to, group}``, or None."""
    with wf.db.read() as conn:
        row = conn.execute(
            select(
                substitutes.c.substitute_id,
                users.c.name,
                substitutes.c.starts_on,
                substitutes.c.ends_on,
                substitutes.c.gatekeeper_group,
            )
            .join(users, users.c.id == substitutes.c.substitute_id)
            .where(substitutes.c.user_id == actor.id)
        ).first()
    if row is None:
        return None
    return {"user_id": row[0], "name": row[1], "from": row[2], "to": row[3], "group": row[4]}


def substitute_groups(wf: Workflow, actor: Actor) -> list[str]:
    """The gatekeeper groups ``actor`` votes in today as a named substitute."""
    with wf.db.read() as conn:
        return sorted({group for group, _ in standing_in_for(conn, actor.id, wf.today())})
