"""Use cases an owner runs on a project: create, edit, tick the checklist, manage partners."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update

from workflow.definitions.base import THEMATIC_AREAS
from workflow.domain.fields import clean_fields
from workflow.domain.lifecycle import check_status
from workflow.domain.text import has_control
from workflow.errors import Duplicate, InvalidInput, NotFound, Problem, TransitionNotAllowed
from workflow.requirements.partners import PARTNER_STATUSES
from workflow.runtime import Actor, Workflow
from workflow.services.areas import is_known_area
from workflow.services.room import require_editor
from workflow.store import pipeline
from workflow.store.pipeline import ProjectChange
from workflow.store.tables import organisations, partners

MAX_TITLE = 200
MAX_SUMMARY = 10_000
MAX_ROLE = 100


def _area_known(wf: Workflow, key: Any) -> bool:
    """Whether ``key`` is empty, a built-in thematic area or one an admin added."""
    if key in (None, "", *THEMATIC_AREAS):
        return True
    if not isinstance(key, str) or len(key) > 64:
        return False
    with wf.db.read() as conn:
        return is_known_area(conn, key)


def _check_text(title: Any, summary: Any, thematic_area: Any, wf: Workflow) -> dict[str, Problem]:
    errors = {}
    if title is not None and (not isinstance(title, str) or not title.strip()):
        errors["title"] = Problem("required")
    elif isinstance(title, str) and len(title) > MAX_TITLE:
        errors["title"] = Problem("too_long", {"max": MAX_TITLE})
    elif isinstance(title, str) and has_control(title):  # it reaches mail subjects
        errors["title"] = Problem("not_one_line")
    if summary is not None and (not isinstance(summary, str) or len(summary) > MAX_SUMMARY):
        errors["summary"] = Problem("text_too_long", {"max": MAX_SUMMARY})
    if not _area_known(wf, thematic_area):
        errors["thematic_area"] = Problem("no_area", {"area": str(thematic_area)[:64]})
    return errors


def create_project(
    wf: Workflow,
    actor: Actor,
    *,
    definition: str,
    title: str,
    summary: str = "",
    fields: Mapping[str, Any] | None = None,
    thematic_area: str | None = None,
    version: int | None = None,
) -> int:
    """Create a project in the first stage of the newest version of ``definition`` (or of
    the registered ``version``: the demo places older projects on an older version).

    The actor becomes its owner. Returns the new project's id.

    Raises:
        NotFound: the definition (or that version of it) is not registered.
        InvalidInput: naming each wrong field.
    """
    spec = wf.catalog.get(definition, version)
    errors = _check_text(title if title is not None else "", summary, thematic_area, wf)
    try:
        values = {k: v for k, v in clean_fields(spec, fields or {}).items() if v is not None}
    except InvalidInput as exc:
        errors.update({f"fields.{k}": v for k, v in exc.fields.items()})
    if errors:
        raise InvalidInput(errors)
    with pipeline.create(
        wf,
        actor,
        spec,
        {
            "title": title.strip(),
            "summary": (summary or "").strip(),
            "thematic_area": thematic_area or None,
            "fields": values,
            "checklist": {},
        },
    ) as ch:
        ch.record(
            "created",
            {"title": title.strip(), "definition": spec.key, "definition_version": spec.version},
        )
    return int(ch.row["id"])


def update_project(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    expected_version: int | None = None,
    title: str | None = None,
    summary: str | None = None,
    thematic_area: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> int:
    """Change a project's title, summary, thematic area or fields (only given ones).

    Returns the project's new version (unchanged when nothing changed).

    Raises:
        NotFound, PermissionDenied, StaleVersion, TransitionNotAllowed, InvalidInput.
    """
    errors = _check_text(title, summary, thematic_area, wf)
    with _owner_edit(wf, actor, project_id, expected_version) as ch:
        row = ch.row
        try:
            cleaned = clean_fields(ch.spec, fields or {})
        except InvalidInput as exc:
            errors.update({f"fields.{k}": v for k, v in exc.fields.items()})
        if errors:
            raise InvalidInput(errors)
        values: dict[str, Any] = {}
        if title is not None:
            values["title"] = title.strip()
        if summary is not None:
            values["summary"] = summary.strip()
        if thematic_area is not None:
            values["thematic_area"] = thematic_area or None
        # a save that repeats what is stored changes nothing (no event, stall kept)
        values = {k: v for k, v in values.items() if (v or None) != (row[k] or None)}
        merged = dict(row["fields"])
        for key, value in cleaned.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        if merged != row["fields"]:
            values["fields"] = merged
        changed = sorted(k for k in values if k != "fields") + sorted(
            k for k in set(merged) | set(row["fields"]) if merged.get(k) != row["fields"].get(k)
        )
        if changed:
            ch.set(**values)
            ch.record("edited", {"changed": changed})
    return ch.version


def set_checklist_item(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    item: str,
    done: bool,
    *,
    expected_version: int | None = None,
) -> int:
    """Tick (or untick) a checklist item of the project's current stage.

    Returns the project's new version (unchanged if the item already had that state).
    """
    if not isinstance(done, bool):
        raise InvalidInput({"done": Problem("not_boolean")})
    with _owner_edit(wf, actor, project_id, expected_version) as ch:
        stage = ch.row["stage"]
        if item not in {c.key for c in ch.spec.stage(stage).checklist}:
            raise NotFound("no_checklist_item", stage=stage, item=item)
        checklist = {k: list(v) for k, v in ch.row["checklist"].items()}
        current = set(checklist.get(stage, []))
        if (item in current) != done:
            checklist[stage] = sorted(current | {item} if done else current - {item})
            ch.set(checklist=checklist)
            ch.record(
                "checklist_ticked" if done else "checklist_unticked", {"item": item, "stage": stage}
            )
    return ch.version


def add_partner(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    organisation_id: int,
    role: str = "",
    status: str = "invited",
    expected_version: int | None = None,
) -> int:
    """Add an organisation as a partner of the project in ``role``, ``invited`` unless
    ``status`` says it has come further (each status up to it dated today). Returns the
    partner id.

    Raises:
        InvalidInput: the organisation does not exist or is deactivated; a bad role or status.
        Duplicate: the organisation is a partner already.
    """
    errors = _partner_errors(role, status)
    if errors:
        raise InvalidInput(errors)
    with _owner_edit(wf, actor, project_id, expected_version, what="partners") as ch:
        conn = ch.conn
        org = conn.execute(
            select(organisations.c.name, organisations.c.type, organisations.c.active).where(
                organisations.c.id == organisation_id
            )
        ).first()
        if org is None or not org.active:
            code = "unknown_organisation" if org is None else "organisation_inactive"
            raise InvalidInput(
                {"organisation_id": Problem(code, {"organisation": organisation_id})}
            )
        exists = conn.execute(
            select(partners.c.id).where(
                partners.c.project_id == project_id,
                partners.c.organisation_id == organisation_id,
            )
        ).first()
        if exists:
            raise Duplicate(
                {"organisation_id": Problem("already_partner", {"organisation": org.name})}
            )
        partner_id: int = conn.execute(
            insert(partners)
            .values(
                project_id=project_id,
                organisation_id=organisation_id,
                role=role.strip(),
                status=status,
                added_at=ch.now,
                **status_dates(status, wf.today(ch.now), {}),
            )
            .returning(partners.c.id)
        ).scalar_one()
        ch.record(
            "partner_added",
            {
                "partner_id": partner_id,
                "organisation_id": organisation_id,
                "organisation": org.name,
                "type": org.type,
                "role": role.strip(),
                "status": status,
            },
        )
    return partner_id


def _partner_errors(role: Any, status: Any) -> dict[str, Problem]:
    errors = {}
    if not isinstance(role, str) or len(role) > MAX_ROLE:
        errors["role"] = Problem("text_too_long", {"max": MAX_ROLE})
    elif has_control(role):
        errors["role"] = Problem("not_one_line")
    if status not in PARTNER_STATUSES:
        errors["status"] = Problem("not_one_of", {"choices": list(PARTNER_STATUSES)})
    return errors


def status_dates(new: str, today: date, dates: Mapping[Any, Any]) -> dict[str, date | None]:
    """The ``<status>_on`` columns after a partner moves to ``new``: each status up to
    ``new`` keeps its day or is reached today; those beyond it are cleared."""
    reached = PARTNER_STATUSES.index(new)
    changed: dict[str, date | None] = {}
    for i, status in enumerate(PARTNER_STATUSES):
        column = f"{status}_on"
        if i <= reached:
            changed[column] = dates.get(column) or today
        else:
            changed[column] = None
    return changed


def update_partner(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    partner_id: int,
    *,
    status: str | None = None,
    role: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Change a partner's status (``invited`` → ``confirmed`` → ``letter_of_intent``; the
    day each was reached is kept, a step back clears the later ones) or role. Returns the
    project's new version.

    Raises:
        NotFound: the project has no such partner.
        InvalidInput: a bad role or status.
    """
    errors = _partner_errors("" if role is None else role, status or "invited")
    if errors:
        raise InvalidInput(errors)
    with _owner_edit(wf, actor, project_id, expected_version, what="partners") as ch:
        row = (
            ch.conn.execute(
                select(partners, organisations.c.name)
                .join(organisations, organisations.c.id == partners.c.organisation_id)
                .where(partners.c.id == partner_id, partners.c.project_id == project_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound("no_partner", project=project_id, partner=partner_id)
        values: dict[str, Any] = {}
        payload: dict[str, Any] = {"partner_id": partner_id, "organisation": row["name"]}
        if status is not None and status != row["status"]:
            values["status"] = status
            values.update(status_dates(status, wf.today(ch.now), row))
            payload.update({"from": row["status"], "to": status})
        if role is not None and role.strip() != row["role"]:
            values["role"] = role.strip()
            payload["role"] = role.strip()
        if values:
            ch.conn.execute(update(partners).where(partners.c.id == partner_id).values(**values))
            ch.record("partner_changed", payload)
    return ch.version


def remove_partner(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    partner_id: int,
    *,
    expected_version: int | None = None,
) -> int:
    """Remove a partner from the project. Returns the project's new version."""
    with _owner_edit(wf, actor, project_id, expected_version, what="partners") as ch:
        conn = ch.conn
        found = conn.execute(
            select(partners.c.organisation_id, organisations.c.name)
            .join(organisations, organisations.c.id == partners.c.organisation_id)
            .where(partners.c.id == partner_id, partners.c.project_id == project_id)
        ).first()
        if found is None:
            raise NotFound("no_partner", project=project_id, partner=partner_id)
        conn.execute(delete(partners).where(partners.c.id == partner_id))
        ch.record(
            "partner_removed",
            {
                "partner_id": partner_id,
                "organisation_id": found.organisation_id,
                "organisation": found.name,
            },
        )
    return ch.version


@contextmanager
def _owner_edit(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    expected_version: int | None,
    *,
    what: str | None = None,
) -> Iterator[ProjectChange]:
    """A change to a project by its owner, which only an active project allows."""
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        require_editor(ch.conn, ch.row, actor.id)  # the owner or the project manager
        try:
            check_status(ch.row["status"], "edit", project_id=project_id)
        except TransitionNotAllowed:
            if what is None:
                raise
            status = ch.row["status"]
            raise TransitionNotAllowed(
                "part_frozen", part=what, status=status, project=project_id
            ) from None
        yield ch
