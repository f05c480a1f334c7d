"""Thematic areas as data: admins add them, change their labels and end their validity;
new projects choose among the areas valid today, and old projects keep theirs. Each change
is a ``governance_events`` row in the same transaction."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from workflow.definitions.base import THEMATIC_AREAS
from workflow.errors import Duplicate, InvalidInput, NotFound, PermissionDenied, Problem
from workflow.runtime import Actor, Workflow
from workflow.store.tables import governance_events, thematic_areas

_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
MAX_LABEL = 100


def list_thematic_areas(wf: Workflow, *, valid_on: date | None = None) -> list[dict[str, Any]]:
    """Every thematic area by key (``valid_on``: only those valid that day), each
    ``{key, label_nb, label_en, valid_from, valid_to}``."""
    query = select(thematic_areas).order_by(thematic_areas.c.key)
    if valid_on is not None:
        query = query.where(
            or_(thematic_areas.c.valid_from.is_(None), thematic_areas.c.valid_from <= valid_on),
            or_(thematic_areas.c.valid_to.is_(None), thematic_areas.c.valid_to >= valid_on),
        )
    with wf.db.read() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def is_known_area(conn: Connection, key: str) -> bool:
    """Whether ``key`` is a thematic area: a built-in one, or one an admin added."""
    if key in THEMATIC_AREAS:
        return True
    found = conn.execute(select(thematic_areas.c.key).where(thematic_areas.c.key == key))
    return found.first() is not None


def _day(value: Any, field: str, errors: dict[str, Problem]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        errors[field] = Problem("not_date")
        return None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Problem] = {}
    clean: dict[str, Any] = {}
    for field in ("label_nb", "label_en"):
        text = values.get(field)
        if not isinstance(text, str) or not text.strip():
            errors[field] = Problem("required")
        elif len(text) > MAX_LABEL:
            errors[field] = Problem("too_long", {"max": MAX_LABEL})
        else:
            clean[field] = text.strip()
    for field in ("valid_from", "valid_to"):
        clean[field] = _day(values.get(field), field, errors)
    start, end = clean["valid_from"], clean["valid_to"]
    if start and end and end < start:
        errors["valid_to"] = Problem("area_ends_before_start")
    if errors:
        raise InvalidInput(errors)
    return clean


def save_thematic_area(
    wf: Workflow, actor: Actor, key: str, *, new: bool = False, **values: Any
) -> None:
    """Add (``new``) or change a thematic area: ``label_nb``, ``label_en``, ``valid_from``
    and ``valid_to`` (dates, or None for open-ended); audited as ``area_added`` or
    ``area_changed``.

    Raises:
        PermissionDenied: the actor is not an admin (``admins_only``).
        InvalidInput: naming each wrong field; Duplicate: a new key that is taken.
        NotFound: no such area to change (``no_area``).
    """
    if not actor.is_admin:
        raise PermissionDenied("admins_maintain_areas")
    if new and (not isinstance(key, str) or not _KEY.fullmatch(key)):
        raise InvalidInput({"key": Problem("not_area_key")})
    clean = _clean(values)
    with wf.db.write() as conn:
        exists = conn.execute(
            select(thematic_areas.c.key).where(thematic_areas.c.key == key)
        ).first()
        if new and exists is not None:
            raise Duplicate({"key": Problem("area_taken", {"key": key})})
        if not new and exists is None:
            raise NotFound("no_area", area=key)
        if new:
            conn.execute(insert(thematic_areas).values(key=key, **clean))
        else:
            conn.execute(update(thematic_areas).where(thematic_areas.c.key == key).values(**clean))
        payload = {
            "area": key,
            **{k: str(v) if isinstance(v, date) else v for k, v in clean.items()},
        }
        conn.execute(
            insert(governance_events).values(
                actor_id=actor.id,
                action="area_added" if new else "area_changed",
                payload=payload,
                created_at=wf.clock(),
            )
        )


def end_thematic_area(wf: Workflow, actor: Actor, key: str) -> None:
    """End a thematic area's validity yesterday: new projects no longer choose it, old ones
    keep it; audited as ``area_changed``.

    Raises:
        PermissionDenied, NotFound: as :func:`save_thematic_area`.
    """
    found = [a for a in list_thematic_areas(wf) if a["key"] == key]
    if not found:
        raise NotFound("no_area", area=key)
    area = found[0]
    end = date.fromordinal(wf.today().toordinal() - 1)
    start = area["valid_from"]
    save_thematic_area(
        wf,
        actor,
        key,
        label_nb=area["label_nb"],
        label_en=area["label_en"],
        valid_from=start if start is None or start <= end else end,
        valid_to=end,
    )
