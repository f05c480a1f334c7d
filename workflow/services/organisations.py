"""The organisation registry coordinators keep: create, edit, deactivate, merge, confirm.

Coordinators and admins write the registry (``None`` as actor: the CLI or the demo); any
signed-in user may propose an organisation, which waits unconfirmed for a coordinator.
Every write appends a row to ``organisation_events`` in its own transaction; a merge also
records a ``partner_merged`` event on the audit chain of each project it touches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from workflow.definitions import ORGANISATION_TYPES
from workflow.definitions.base import THEMATIC_AREAS
from workflow.domain.values import line_problem
from workflow.errors import Duplicate, InvalidInput, NotFound, PermissionDenied, Problem
from workflow.runtime import Actor, Workflow
from workflow.services.accounts import is_email
from workflow.store import pipeline
from workflow.store.tables import contacts as contacts_table
from workflow.store.tables import (
    org_events,
    organisations,
    partners,
    users,
)

ORG_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_NAME = 200
MAX_KEY = 64
MAX_DESCRIPTION = 5_000
MAX_KEYWORDS = 30
MAX_KEYWORD = 60
MAX_CONTACTS = 20
MAX_ROLE = 100
#: the weights of the Norwegian organisation number's mod-11 check digit
_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
#: a partner's status, from least to furthest along
PARTNER_STATUSES = ("invited", "confirmed", "letter_of_intent")
#: the fields :func:`update_organisation` takes
EDITABLE = (
    "key",
    "name",
    "type",
    "org_number",
    "parent_id",
    "approved_research",
    "keywords",
    "thematic_areas",
    "description",
    "contacts",
    "active",
)
#: how far up the tree a parent is followed when looking for a cycle
_MAX_DEPTH = 1_000


def valid_org_number(text: str) -> bool:
    """Whether ``text`` is a Norwegian organisation number: 9 ASCII digits whose last is
    the mod-11 check digit of the first eight (weights 3 2 7 6 5 4 3 2; 11 counts as 0, 10
    is never valid)."""
    if len(text) != 9 or not text.isascii() or not text.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(text, _WEIGHTS, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(text[8])


def _require_coordinator(actor: Actor | None) -> None:
    if actor is not None and not actor.is_coordinator:
        raise PermissionDenied("coordinators_only")


def _slug(text: str) -> str:
    table_ = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table_)).strip("-")[:MAX_KEY]


def _keywords(value: Any) -> tuple[list[str], Problem | None]:
    if not isinstance(value, list | tuple):
        return [], Problem("not_list")
    kept: list[str] = []
    seen: set[str] = set()
    for item in value:
        problem = line_problem(item, MAX_KEYWORD, required=False)
        if problem is not None:
            return [], Problem("keyword_wrong", {"max": MAX_KEYWORD})
        word = " ".join(item.split())
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            kept.append(word)
    if len(kept) > MAX_KEYWORDS:
        return [], Problem("too_many", {"max": MAX_KEYWORDS})
    return kept, None


def _areas(value: Any) -> tuple[list[str], Problem | None]:
    if not isinstance(value, list | tuple) or not all(isinstance(a, str) for a in value):
        return [], Problem("not_list")
    if not set(value) <= set(THEMATIC_AREAS):
        return [], Problem("not_one_of", {"choices": list(THEMATIC_AREAS)})
    return [a for a in THEMATIC_AREAS if a in value], None


def _contacts(value: Any, errors: dict[str, Problem]) -> list[dict[str, str]]:
    if not isinstance(value, list | tuple):
        errors["contacts"] = Problem("not_list")
        return []
    if len(value) > MAX_CONTACTS:
        errors["contacts"] = Problem("too_many", {"max": MAX_CONTACTS})
        return []
    kept = []
    for n, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) - {"name", "email", "role"}:
            errors[f"contacts.{n}"] = Problem("not_contact")
            continue
        name, email, role = item.get("name"), item.get("email") or "", item.get("role") or ""
        for field, problem in (
            ("name", line_problem(name, MAX_NAME, required=True)),
            ("role", line_problem(role, MAX_ROLE, required=False)),
        ):
            if problem is not None:
                errors[f"contacts.{n}.{field}"] = problem
        email = email.strip().lower() if isinstance(email, str) else email
        if email and (not isinstance(email, str) or not is_email(email)):
            errors[f"contacts.{n}.email"] = Problem("not_email")
        if isinstance(name, str) and isinstance(role, str) and isinstance(email, str):
            kept.append({"name": name.strip(), "email": email, "role": role.strip()})
    return kept


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise the given registry fields; raise InvalidInput naming each wrong."""
    errors: dict[str, Problem] = {}
    clean: dict[str, Any] = {}
    if "name" in values:
        problem = line_problem(values["name"], MAX_NAME, required=True)
        if problem:
            errors["name"] = problem
        else:
            clean["name"] = values["name"].strip()
    if "type" in values:
        if values["type"] not in ORGANISATION_TYPES:
            errors["type"] = Problem("not_one_of", {"choices": list(ORGANISATION_TYPES)})
        else:
            clean["type"] = values["type"]
    if "key" in values:
        key = values["key"]
        if not isinstance(key, str) or not ORG_KEY.match(key) or len(key) > MAX_KEY:
            errors["key"] = Problem("not_organisation_key")
        else:
            clean["key"] = key
    if "description" in values:
        text = values["description"]
        if text is None:
            text = ""
        if not isinstance(text, str) or len(text) > MAX_DESCRIPTION:
            errors["description"] = Problem("text_too_long", {"max": MAX_DESCRIPTION})
        else:
            clean["description"] = text.strip()
    if "org_number" in values:
        number = values["org_number"]
        if number is None or (isinstance(number, str) and not number.strip()):
            clean["org_number"] = None
        elif isinstance(number, str) and valid_org_number(number.replace(" ", "")):
            clean["org_number"] = number.replace(" ", "")
        else:
            errors["org_number"] = Problem("not_org_number")
    if "parent_id" in values:
        parent = values["parent_id"]
        if parent is not None and (isinstance(parent, bool) or not isinstance(parent, int)):
            errors["parent_id"] = Problem("not_whole_number")
        else:
            clean["parent_id"] = parent
    for flag in ("approved_research", "active"):
        if flag in values:
            if not isinstance(values[flag], bool):
                errors[flag] = Problem("not_boolean")
            else:
                clean[flag] = values[flag]
    if "keywords" in values:
        clean["keywords"], problem = _keywords(values["keywords"])
        if problem:
            errors["keywords"] = problem
    if "thematic_areas" in values:
        clean["thematic_areas"], problem = _areas(values["thematic_areas"])
        if problem:
            errors["thematic_areas"] = problem
    if "contacts" in values:
        clean["contacts"] = _contacts(values["contacts"], errors)
    if errors:
        raise InvalidInput(errors)
    return clean


def _locked(conn: Connection, organisation_id: int) -> dict[str, Any]:
    """The organisation row, locked for the rest of the transaction (PostgreSQL)."""
    query = select(organisations).where(organisations.c.id == organisation_id)
    if conn.dialect.name != "sqlite":
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound("no_organisation", organisation=organisation_id)
    return dict(row)


def _check_parent(conn: Connection, organisation_id: int | None, parent_id: int) -> None:
    """Refuse an unknown parent, and one that is the organisation itself or below it."""
    if parent_id == organisation_id:
        raise InvalidInput({"parent_id": Problem("parent_cycle")})
    current: int | None = parent_id
    for depth in range(_MAX_DEPTH):
        found = conn.execute(
            select(organisations.c.parent_id).where(organisations.c.id == current)
        ).first()
        if found is None:
            if depth == 0:
                unknown = Problem("unknown_organisation", {"organisation": parent_id})
                raise InvalidInput({"parent_id": unknown})
            return  # pragma: no cover - a parent id always names a row (foreign key)
        current = found.parent_id
        if current is None:
            return
        if current == organisation_id:
            raise InvalidInput({"parent_id": Problem("parent_cycle")})
    raise InvalidInput({"parent_id": Problem("parent_cycle")})  # pragma: no cover


def _check_unique(conn: Connection, values: Mapping[str, Any], organisation_id: int | None) -> None:
    """Duplicate (409) for a key or organisation number another organisation has."""
    for column, code, param in (
        ("key", "organisation_key_taken", "key"),
        ("org_number", "org_number_taken", "org_number"),
    ):
        value = values.get(column)
        if value is None:
            continue
        other = conn.execute(
            select(organisations.c.id, organisations.c.name).where(
                organisations.c[column] == value, organisations.c.id != (organisation_id or 0)
            )
        ).first()
        if other is not None:
            params = {param: value, "organisation": other.name}
            raise Duplicate({column: Problem(code, params)})


def _event(
    conn: Connection,
    organisation_id: int,
    actor: Actor | None,
    action: str,
    payload: Mapping[str, Any],
    now: datetime,
) -> None:
    conn.execute(
        insert(org_events).values(
            organisation_id=organisation_id,
            actor_id=None if actor is None else actor.id,
            action=action,
            payload=dict(payload),
            created_at=now,
        )
    )


def _replace_contacts(conn: Connection, organisation_id: int, people: list[dict[str, str]]) -> None:
    conn.execute(delete(contacts_table).where(contacts_table.c.organisation_id == organisation_id))
    if people:
        conn.execute(
            insert(contacts_table), [dict(p, organisation_id=organisation_id) for p in people]
        )


def _free_key(conn: Connection, key: str) -> str:
    """``key``, or ``key-2``, ``key-3``, … when it is taken (a proposer does not choose)."""
    taken: set[str] = set(
        conn.execute(
            select(organisations.c.key).where(organisations.c.key.like(f"{key[:50]}%"))
        ).scalars()
    )
    candidate, n = key, 1
    while candidate in taken:
        n += 1
        candidate = f"{key[:50]}-{n}"
    return candidate


def _insert(
    wf: Workflow,
    actor: Actor | None,
    values: dict[str, Any],
    *,
    confirmed: bool,
    action: str,
    free_key: bool = False,
) -> int:
    people = values.pop("contacts", [])
    try:
        with wf.db.write() as conn:
            if free_key:
                values["key"] = _free_key(conn, values["key"])
            _check_unique(conn, values, None)
            if values.get("parent_id") is not None:
                _check_parent(conn, None, values["parent_id"])
            now = wf.clock()
            organisation_id = int(
                conn.execute(
                    insert(organisations)
                    .values(
                        **values, active=True, confirmed=confirmed, created_at=now, updated_at=now
                    )
                    .returning(organisations.c.id)
                ).scalar_one()
            )
            _replace_contacts(conn, organisation_id, people)
            _event(conn, organisation_id, actor, action, {"name": values["name"]}, now)
            return organisation_id
    except IntegrityError:  # a key or number taken by a concurrent writer
        raise Duplicate(
            {"key": Problem("organisation_key_taken", {"key": values["key"]})}
        ) from None


def _new_values(name: Any, type: Any, key: Any, extra: Mapping[str, Any]) -> dict[str, Any]:
    given = {"name": name, "type": type, **extra}
    if key is None:
        key = (_slug(name) if isinstance(name, str) else "") or "organisation"
    given["key"] = key
    given.setdefault("description", "")
    values = _clean(given)
    values.setdefault("keywords", [])
    values.setdefault("thematic_areas", [])
    return values


def add_organisation(
    wf: Workflow,
    actor: Actor | None,
    *,
    name: str,
    type: str,
    key: str | None = None,
    description: str = "",
    org_number: str | None = None,
    parent_id: int | None = None,
    approved_research: bool = False,
    keywords: Sequence[str] = (),
    thematic_areas: Sequence[str] = (),
    contacts: Sequence[Mapping[str, str]] = (),
) -> int:
    """Register a partner organisation (coordinators and admins; ``None`` for the CLI).

    ``key`` defaults to a slug of the name. Returns the new organisation's id.

    Raises:
        PermissionDenied: the actor is neither coordinator nor admin.
        InvalidInput: naming each wrong field (a bad organisation number, a parent that
            does not exist, an unknown thematic area, …).
        Duplicate: the key or the organisation number is taken.
    """
    _require_coordinator(actor)
    values = _new_values(
        name,
        type,
        key,
        {
            "description": description,
            "org_number": org_number,
            "parent_id": parent_id,
            "approved_research": approved_research,
            "keywords": list(keywords) if isinstance(keywords, list | tuple) else keywords,
            "thematic_areas": (
                list(thematic_areas) if isinstance(thematic_areas, list | tuple) else thematic_areas
            ),
            "contacts": list(contacts) if isinstance(contacts, list | tuple) else contacts,
        },
    )
    return _insert(wf, actor, values, confirmed=True, action="created")


def propose_organisation(
    wf: Workflow,
    actor: Actor,
    *,
    name: str,
    type: str,
    description: str = "",
    org_number: str | None = None,
) -> int:
    """Propose a new organisation (any signed-in user); it waits unconfirmed for a
    coordinator, and the ``proposed`` event names who proposed it. Returns its id.

    Raises:
        InvalidInput, Duplicate: as :func:`add_organisation`.
    """
    values = _new_values(name, type, None, {"description": description, "org_number": org_number})
    return _insert(wf, actor, values, confirmed=False, action="proposed", free_key=True)


def update_organisation(
    wf: Workflow, actor: Actor | None, organisation_id: int, **changes: Any
) -> list[str]:
    """Change the given fields of an organisation (see :data:`EDITABLE`); ``contacts``
    replaces the whole list, ``active`` deactivates or reactivates. Returns the names of
    the fields that changed (none: nothing is written).

    Raises:
        PermissionDenied, NotFound, InvalidInput, Duplicate.
    """
    _require_coordinator(actor)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput({name: Problem("unknown_organisation_field") for name in unknown})
    values = _clean(changes)
    try:
        with wf.db.write() as conn:
            row = _locked(conn, organisation_id)
            people = values.pop("contacts", None)
            if values.get("active") and row["merged_into"] is not None:
                merged = Problem("organisation_merged", {"into": row["merged_into"]})
                raise InvalidInput({"active": merged})
            if values.get("parent_id") is not None and values["parent_id"] != row["parent_id"]:
                _check_parent(conn, organisation_id, values["parent_id"])
            changed = {k: v for k, v in values.items() if row[k] != v}
            _check_unique(conn, changed, organisation_id)
            if people is not None:
                old = conn.execute(
                    select(contacts_table.c.name, contacts_table.c.email, contacts_table.c.role)
                    .where(contacts_table.c.organisation_id == organisation_id)
                    .order_by(contacts_table.c.id)
                ).mappings()
                if [dict(c) for c in old] != people:
                    _replace_contacts(conn, organisation_id, people)
                    changed["contacts"] = people
            if not changed:
                return []
            now = wf.clock()
            columns = {k: v for k, v in changed.items() if k != "contacts"}
            conn.execute(
                update(organisations)
                .where(organisations.c.id == organisation_id)
                .values(**columns, updated_at=now)
            )
            if "active" in changed:
                action = "reactivated" if changed.pop("active") else "deactivated"
                _event(conn, organisation_id, actor, action, {}, now)
            if changed:
                _event(conn, organisation_id, actor, "edited", {"changed": sorted(changed)}, now)
            return sorted(set(columns) | set(changed))
    except IntegrityError:  # a key or number taken by a concurrent writer
        taken = Problem("organisation_key_taken", {"key": values.get("key", "")})
        raise Duplicate({"key": taken}) from None


def deactivate_organisation(wf: Workflow, actor: Actor | None, organisation_id: int) -> bool:
    """Hide an organisation from pick lists and suggestions; projects keep it as partner.
    Returns whether it changed (False: it was inactive already)."""
    return bool(update_organisation(wf, actor, organisation_id, active=False))


def reactivate_organisation(wf: Workflow, actor: Actor | None, organisation_id: int) -> bool:
    """Offer a deactivated organisation again (never one merged into another). Returns
    whether it changed."""
    return bool(update_organisation(wf, actor, organisation_id, active=True))


def confirm_organisation(wf: Workflow, actor: Actor | None, organisation_id: int) -> bool:
    """Confirm a proposed organisation (coordinators and admins). Returns whether it
    changed (False: it was confirmed already).

    Raises:
        PermissionDenied, NotFound.
    """
    _require_coordinator(actor)
    with wf.db.write() as conn:
        row = _locked(conn, organisation_id)
        if row["confirmed"]:
            return False
        now = wf.clock()
        conn.execute(
            update(organisations)
            .where(organisations.c.id == organisation_id)
            .values(confirmed=True, updated_at=now)
        )
        _event(conn, organisation_id, actor, "confirmed", {}, now)
        return True


def merge_organisations(
    wf: Workflow, actor: Actor | None, duplicate_id: int, *, into: int
) -> list[int]:
    """Merge the organisation ``duplicate_id`` into the survivor ``into``, in one
    transaction: its partnerships, users and child organisations move to the survivor (a
    project that has both keeps one partner row with the furthest status and the earliest
    dates), it becomes inactive with ``merged_into`` set, and each project touched records
    ``partner_merged`` on its audit chain. Returns the ids of those projects.

    Raises:
        PermissionDenied, NotFound: the duplicate does not exist.
        InvalidInput: the survivor does not exist, is the duplicate, or is inactive; the
            duplicate was merged already.
    """
    _require_coordinator(actor)
    if isinstance(into, bool) or not isinstance(into, int):
        raise InvalidInput({"into": Problem("not_whole_number")})
    if into == duplicate_id:
        raise InvalidInput({"into": Problem("merge_into_itself")})
    with pipeline.batch(wf, now=wf.clock()) as work:
        conn, now = work.conn, work.now
        first, second = sorted((duplicate_id, into))  # one lock order against deadlocks
        try:
            locked = {first: _locked(conn, first), second: _locked(conn, second)}
        except NotFound as exc:
            if exc.problem.params.get("organisation") == duplicate_id:
                raise
            unknown = Problem("unknown_organisation", {"organisation": into})
            raise InvalidInput({"into": unknown}) from None
        duplicate, survivor = locked[duplicate_id], locked[into]
        if duplicate["merged_into"] is not None:
            merged = Problem("organisation_merged", {"into": duplicate["merged_into"]})
            raise InvalidInput({"organisation": merged})
        if not survivor["active"]:
            raise InvalidInput({"into": Problem("organisation_inactive", {"organisation": into})})
        moved = _move_partners(work, actor, duplicate, survivor)
        _move_tree(conn, duplicate, survivor)
        conn.execute(
            update(users)
            .where(users.c.organisation_id == duplicate_id)
            .values(organisation_id=into)
        )
        conn.execute(
            update(organisations)
            .where(organisations.c.id == duplicate_id)
            .values(active=False, merged_into=into, updated_at=now)
        )
        payload = {"from_organisation_id": duplicate_id, "to_organisation_id": into}
        _event(conn, duplicate_id, actor, "merged", {**payload, "projects": moved}, now)
        _event(conn, into, actor, "merged_in", {**payload, "projects": moved}, now)
    return moved


def _move_partners(
    work: pipeline.Batch,
    actor: Actor | None,
    duplicate: Mapping[str, Any],
    survivor: Mapping[str, Any],
) -> list[int]:
    """Move the duplicate's partner rows to the survivor; record it on each project."""
    conn = work.conn
    rows = conn.execute(
        select(partners)
        .where(partners.c.organisation_id.in_([duplicate["id"], survivor["id"]]))
        .order_by(partners.c.project_id)
    ).mappings()
    by_project: dict[int, dict[int, dict[str, Any]]] = {}
    for row in rows:
        by_project.setdefault(row["project_id"], {})[row["organisation_id"]] = dict(row)
    moved: list[int] = []
    for project_id, found in by_project.items():
        old = found.get(duplicate["id"])
        if old is None:
            continue
        project = pipeline.lock_project(work.uow, project_id, None)
        kept = found.get(survivor["id"])
        payload: dict[str, Any] = {
            "from_organisation_id": duplicate["id"],
            "from_organisation": duplicate["name"],
            "to_organisation_id": survivor["id"],
            "to_organisation": survivor["name"],
        }
        if kept is None:
            conn.execute(
                update(partners)
                .where(partners.c.id == old["id"])
                .values(organisation_id=survivor["id"])
            )
            payload["partner_id"] = old["id"]
        else:
            conn.execute(
                update(partners).where(partners.c.id == kept["id"]).values(**_furthest(kept, old))
            )
            conn.execute(delete(partners).where(partners.c.id == old["id"]))
            payload.update(partner_id=kept["id"], dropped_partner_id=old["id"])
        work.change(project, actor).record("partner_merged", payload, activity=False)
        moved.append(project_id)
    return moved


def _furthest(kept: Mapping[str, Any], dropped: Mapping[str, Any]) -> dict[str, Any]:
    """The kept partner row's values: the furthest status, the earliest day of each step."""
    status = max(kept["status"], dropped["status"], key=PARTNER_STATUSES.index)
    values: dict[str, Any] = {"status": status, "role": kept["role"] or dropped["role"]}
    for column in ("invited_on", "confirmed_on", "letter_of_intent_on"):
        days = [d for d in (kept[column], dropped[column]) if d is not None]
        values[column] = min(days) if days else None
    return values


def _move_tree(conn: Connection, duplicate: Mapping[str, Any], survivor: Mapping[str, Any]) -> None:
    """The duplicate's children become the survivor's; a survivor below the duplicate first
    takes the duplicate's place, so no cycle can form."""
    current, below = survivor["parent_id"], False
    for _ in range(_MAX_DEPTH):
        if current is None:
            break
        if current == duplicate["id"]:
            below = True
            break
        current = conn.execute(
            select(organisations.c.parent_id).where(organisations.c.id == current)
        ).scalar_one_or_none()
    if below:
        conn.execute(
            update(organisations)
            .where(organisations.c.id == survivor["id"])
            .values(parent_id=duplicate["parent_id"])
        )
    conn.execute(
        update(organisations)
        .where(organisations.c.parent_id == duplicate["id"], organisations.c.id != survivor["id"])
        .values(parent_id=survivor["id"])
    )
