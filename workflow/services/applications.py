"""Use cases on a project's funding applications (SPEC §2c, §4b).

An owner prepares a draft for a call, edits it, submits it (refused, listing every call rule
it breaks), withdraws it, or re-applies after a rejection (a new draft copying the rejected
one, which stays as history); a coordinator records the funder's decision. Every change
goes through the write pipeline: owner check, frozen while the project is in review,
version check, an audit event and a version bump in one transaction. While the current
application is submitted and undecided the project's stall clock stands still.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from workflow.domain.call_rules import BUDGET_CATEGORIES, OUTCOMES
from workflow.domain.lifecycle import check_status
from workflow.domain.text import has_control
from workflow.errors import (
    CallRulesNotMet,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
    TransitionNotAllowed,
)
from workflow.queries.application_rows import (
    IN_PROGRESS,
    application_row,
    partner_types,
    rules_of,
)
from workflow.runtime import Actor, Workflow
from workflow.services.room import require_editor
from workflow.store import pipeline
from workflow.store.pipeline import ProjectChange
from workflow.store.tables import applications, calls, organisations

#: the values an owner edits on a draft
EDITABLE = (
    "call_id",
    "applied_amount",
    "budget",
    "planned_start",
    "planned_end",
    "budget_lines",
    "applicant_organisation_id",
    "financing",
)
#: what a re-application copies from the rejected one
COPIED = EDITABLE[1:]
MAX_AMOUNT = 10**13
MAX_LINES = 50
MAX_REFERENCE = 100
MAX_FEEDBACK = 20_000
MAX_SCORES = 50


def create_application(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    call_id: int,
    values: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> int:
    """Start a draft application of the project for ``call_id`` (the call need not be open
    yet: drafts are prepared for upcoming calls), with any other editable ``values``.
    Returns its id.

    Raises:
        InvalidInput: no such call, or a wrong value.
        TransitionNotAllowed: another application of the project is a draft or submitted.
    """
    cleaned = _clean({**(values or {}), "call_id": call_id})
    with _owner_change(wf, actor, project_id, expected_version) as ch:
        _check_references(ch, cleaned)
        _no_application_in_progress(ch)
        cleaned.setdefault("budget_lines", [])
        cleaned.setdefault("financing", [])
        app_id = _insert(ch, {**cleaned, "status": "draft"})
        ch.record("application_created", {"application_id": app_id, "call_id": call_id})
    return app_id


def update_application(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    application_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> int:
    """Change the given values of a draft (:data:`EDITABLE`; None clears a value).
    Returns the project's new version (unchanged when nothing changed).

    Raises:
        InvalidInput: a wrong value. TransitionNotAllowed: the application is no draft.
    """
    cleaned = _clean(changes)
    with _owner_change(wf, actor, project_id, expected_version) as ch:
        row = _application(ch, application_id)
        _require_status(row, "edit", ("draft",))
        _check_references(ch, cleaned)
        merged = {k: cleaned.get(k, row[k]) for k in ("planned_start", "planned_end")}
        if (
            merged["planned_start"] is not None
            and merged["planned_end"] is not None
            and merged["planned_end"] < merged["planned_start"]
        ):
            raise InvalidInput({"planned_end": Problem("end_before_start")})
        changed = {k: v for k, v in cleaned.items() if row[k] != v}
        if changed:
            ch.conn.execute(
                update(applications)
                .where(applications.c.id == application_id)
                .values(**changed, updated_at=ch.now)
            )
            ch.record(
                "application_edited",
                {"application_id": application_id, "changed": sorted(changed)},
            )
    return ch.version


def submit_application(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    application_id: int,
    *,
    expected_version: int | None = None,
) -> int:
    """Submit a draft to its funder; every rule of its call must hold now.

    The project's stall clock stops until the funder's decision is recorded.
    Returns the project's new version.

    Raises:
        CallRulesNotMet: listing each broken rule (kind ``call_rules``, key the rule).
        TransitionNotAllowed: the application is no draft.
    """
    with _owner_change(wf, actor, project_id, expected_version) as ch:
        row = _application(ch, application_id)
        _require_status(row, "submit", ("draft",))
        rules = _rules(wf, ch, row, at_submission=True)
        broken = [c.as_unmet() for c in rules if not c.met]
        if broken:
            raise CallRulesNotMet(application_id, broken)
        ch.conn.execute(
            update(applications)
            .where(applications.c.id == application_id)
            .values(status="submitted", submitted_at=ch.now, updated_at=ch.now)
        )
        ch.funder_pending = True
        ch.record(
            "application_submitted",
            {"application_id": application_id, "call_id": row["call_id"]},
        )
    return ch.version


def record_outcome(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    application_id: int,
    *,
    outcome: str,
    granted_amount: Any = None,
    decided_on: Any = None,
    feedback: Any = "",
    reference: Any = "",
    panel_scores: Any = None,
    expected_version: int | None = None,
) -> int:
    """Record the funder's decision on a submitted application (coordinators and admins):
    ``granted`` with a granted amount no larger than the applied one, or ``rejected``,
    with the day it was decided (default today), the funder's feedback, reference and
    panel scores. The project's stall clock starts again from now.

    Raises:
        PermissionDenied: the actor is no coordinator or admin.
        InvalidInput: a wrong value; a granted amount above the applied one.
        TransitionNotAllowed: the application is not submitted.
    """
    if not actor.is_coordinator:
        raise PermissionDenied("coordinators_record_outcomes")
    errors: dict[str, Problem] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = Problem("not_one_of", {"choices": list(OUTCOMES)})
    amount = _amount(errors, "granted_amount", granted_amount)
    if outcome == "granted" and amount is None and "granted_amount" not in errors:
        errors["granted_amount"] = Problem("required")
    day = _date(errors, "decided_on", decided_on)
    feedback = _text(errors, "feedback", feedback, MAX_FEEDBACK, one_line=False)
    reference = _text(errors, "reference", reference, MAX_REFERENCE, one_line=True)
    scores = _scores(errors, panel_scores)
    if errors:
        raise InvalidInput(errors)
    with _change(wf, actor, project_id, expected_version) as ch:
        row = _application(ch, application_id)
        _require_status(row, "outcome", ("submitted",))
        applied = row["applied_amount"]
        if outcome == "granted" and applied is not None and amount is not None and amount > applied:
            problem = Problem("granted_above_applied", {"applied": applied})
            raise InvalidInput({"granted_amount": problem})
        values = {
            "status": outcome,
            "granted_amount": amount if outcome == "granted" else None,
            "decided_on": day or wf.today(ch.now),
            "feedback": feedback,
            "reference": reference,
            "panel_scores": scores,
            "updated_at": ch.now,
        }
        ch.conn.execute(
            update(applications).where(applications.c.id == application_id).values(**values)
        )
        ch.funder_pending = False
        ch.record(
            "application_decided",
            {
                "application_id": application_id,
                "outcome": outcome,
                "granted_amount": values["granted_amount"],
                "decided_on": values["decided_on"].isoformat(),
                "reference": reference,
            },
        )
    return ch.version


def withdraw_application(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    application_id: int,
    *,
    expected_version: int | None = None,
) -> int:
    """Withdraw a draft or submitted application. Returns the project's new version."""
    with _owner_change(wf, actor, project_id, expected_version) as ch:
        row = _application(ch, application_id)
        _require_status(row, "withdraw", IN_PROGRESS)
        ch.conn.execute(
            update(applications)
            .where(applications.c.id == application_id)
            .values(status="withdrawn", updated_at=ch.now)
        )
        if _is_current(ch, application_id):
            ch.funder_pending = False
        ch.record(
            "application_withdrawn", {"application_id": application_id, "from": row["status"]}
        )
    return ch.version


def reapply(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    application_id: int,
    *,
    call_id: int,
    expected_version: int | None = None,
) -> int:
    """Apply again after a rejection: a new draft for ``call_id`` (usually next year's
    call) with the rejected application's content, linked to it; the rejected one stays,
    with its feedback, as history. Returns the new application's id.

    Raises:
        TransitionNotAllowed: the application was not rejected, or another is in progress.
        InvalidInput: no such call.
    """
    cleaned = _clean({"call_id": call_id})
    with _owner_change(wf, actor, project_id, expected_version) as ch:
        row = _application(ch, application_id)
        _require_status(row, "reapply", ("rejected",))
        _check_references(ch, cleaned)
        _no_application_in_progress(ch)
        copied = {k: row[k] for k in COPIED}
        new_id = _insert(
            ch, {**copied, "call_id": call_id, "status": "draft", "previous_id": application_id}
        )
        ch.record(
            "application_reapplied",
            {"application_id": new_id, "previous_id": application_id, "call_id": call_id},
        )
    return new_id


# -- the pipeline around each use case


@contextmanager
def _change(
    wf: Workflow, actor: Actor, project_id: int, expected_version: int | None
) -> Iterator[ProjectChange]:
    """A change to a project's applications, which only an active project allows (frozen
    while in review, refused once killed or completed: 409)."""
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        try:
            check_status(ch.row["status"], "edit", project_id=project_id)
        except TransitionNotAllowed:
            raise TransitionNotAllowed(
                "part_frozen", part="applications", status=ch.row["status"], project=project_id
            ) from None
        yield ch


@contextmanager
def _owner_change(
    wf: Workflow, actor: Actor, project_id: int, expected_version: int | None
) -> Iterator[ProjectChange]:
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        require_editor(ch.conn, ch.row, actor.id)  # the owner or the project manager
        try:
            check_status(ch.row["status"], "edit", project_id=project_id)
        except TransitionNotAllowed:
            raise TransitionNotAllowed(
                "part_frozen", part="applications", status=ch.row["status"], project=project_id
            ) from None
        yield ch


def _application(ch: ProjectChange, application_id: int) -> Mapping[Any, Any]:
    row = application_row(ch.conn, ch.row["id"], application_id)
    if row is None:
        raise NotFound("no_application", project=ch.row["id"], application=application_id)
    return row


def _is_current(ch: ProjectChange, application_id: int) -> bool:
    current = application_row(ch.conn, ch.row["id"])
    return current is not None and current["id"] == application_id


def _require_status(row: Mapping[str, Any], action: str, allowed: tuple[str, ...]) -> None:
    if row["status"] not in allowed:
        raise TransitionNotAllowed(
            "application_status_forbids",
            action=action,
            application=row["id"],
            status=row["status"],
        )


def _no_application_in_progress(ch: ProjectChange) -> None:
    busy = ch.conn.execute(
        select(applications.c.id, applications.c.status)
        .where(applications.c.project_id == ch.row["id"], applications.c.status.in_(IN_PROGRESS))
        .limit(1)
    ).first()
    if busy is not None:
        raise TransitionNotAllowed(
            "application_in_progress", application=busy.id, status=busy.status
        )


def _insert(ch: ProjectChange, values: Mapping[str, Any]) -> int:
    return int(
        ch.conn.execute(
            insert(applications)
            .values(
                project_id=ch.row["id"],
                reference="",
                feedback="",
                panel_scores={},
                created_at=ch.now,
                updated_at=ch.now,
                **values,
            )
            .returning(applications.c.id)
        ).scalar_one()
    )


def _rules(
    wf: Workflow, ch: ProjectChange, row: Mapping[str, Any], *, at_submission: bool
) -> list[Any]:
    types = partner_types(ch.conn, ch.row["id"])
    if at_submission:
        row = {**row, "submitted_at": None}
    return rules_of(row, types, now=ch.now, zone=wf.zone)


def _check_references(ch: ProjectChange, cleaned: Mapping[str, Any]) -> None:
    """The call and organisations named exist (422 naming the field when not)."""
    errors: dict[str, Problem] = {}
    call_id = cleaned.get("call_id")
    if call_id is not None:
        found = ch.conn.execute(select(calls.c.id).where(calls.c.id == call_id)).first()
        if found is None:
            errors["call_id"] = Problem("no_call", {"call": call_id})
    wanted: dict[str, int] = {}
    if cleaned.get("applicant_organisation_id") is not None:
        wanted["applicant_organisation_id"] = cleaned["applicant_organisation_id"]
    for i, entry in enumerate(cleaned.get("financing") or []):
        wanted[f"financing.{i}.organisation_id"] = entry["organisation_id"]
    if wanted:
        known: set[int] = set(
            ch.conn.execute(
                select(organisations.c.id).where(organisations.c.id.in_(set(wanted.values())))
            ).scalars()
        )
        for where, org in wanted.items():
            if org not in known:
                errors[where] = Problem("unknown_organisation", {"organisation": org})
    if errors:
        raise InvalidInput(errors)


# -- validating values (forms send text, the API JSON; both arrive here)


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Each editable value checked and normalised; raises InvalidInput naming each wrong one."""
    errors: dict[str, Problem] = {}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in EDITABLE:
            errors[key] = Problem("unknown_application_field")
        elif key in ("call_id", "applicant_organisation_id"):
            out[key] = _id(errors, key, value, required=key == "call_id")
        elif key in ("applied_amount", "budget"):
            out[key] = _amount(errors, key, value)
        elif key in ("planned_start", "planned_end"):
            out[key] = _date(errors, key, value)
        elif key == "budget_lines":
            out[key] = _budget_lines(errors, value)
        else:
            out[key] = _financing(errors, value)
    start, end = out.get("planned_start"), out.get("planned_end")
    if start is not None and end is not None and end < start:
        errors["planned_end"] = Problem("end_before_start")
    if errors:
        raise InvalidInput(errors)
    return out


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _id(errors: dict[str, Problem], key: str, value: Any, *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            errors[key] = Problem("required")
        return None
    number = _whole(value)
    if number is None or not 1 <= number <= 2**31 - 1:
        errors[key] = Problem("number_between", {"min": 1, "max": 2**31 - 1})
        return None
    return number


def _amount(errors: dict[str, Problem], key: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    text = value.replace(" ", "").replace("\u00a0", "") if isinstance(value, str) else value
    number = _whole(text)
    negative = isinstance(text, str) and text.startswith("-") and text[1:].isdigit()
    if negative or (number is not None and number < 0):
        errors[key] = Problem("negative")
        return None
    if number is None:
        errors[key] = Problem("number_between", {"min": 0, "max": MAX_AMOUNT})
        return None
    if number > MAX_AMOUNT:
        errors[key] = Problem("number_between", {"min": 0, "max": MAX_AMOUNT})
        return None
    return number


def _date(errors: dict[str, Problem], key: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10 and value.isascii():
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors[key] = Problem("not_date")
    return None


def _text(errors: dict[str, Problem], key: str, value: Any, limit: int, *, one_line: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        errors[key] = Problem("text_too_long", {"max": limit})
        return ""
    if "\x00" in value or (one_line and has_control(value)):
        errors[key] = Problem("not_one_line")
        return ""
    return value.strip()


def _scores(errors: dict[str, Problem], value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if (
        not isinstance(value, Mapping)
        or len(value) > MAX_SCORES
        or not all(
            isinstance(k, str)
            and 0 < len(k) <= 100
            and isinstance(v, int | float)
            and not isinstance(v, bool)
            and abs(v) < 1e6
            for k, v in value.items()
        )
    ):
        errors["panel_scores"] = Problem("not_panel_scores")
        return {}
    return dict(value)


def _entries(errors: dict[str, Problem], key: str, value: Any) -> list[Any]:
    """The entries of a list field (none when it is left out), or none with the problem
    named under ``key`` when it is not a list or too long."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        errors[key] = Problem("not_list")
        return []
    if len(value) > MAX_LINES:
        errors[key] = Problem("too_many", {"max": MAX_LINES})
        return []
    return list(value)


def _budget_lines(errors: dict[str, Problem], value: Any) -> list[dict[str, Any]]:
    lines = []
    for i, line in enumerate(_entries(errors, "budget_lines", value)):
        if not isinstance(line, Mapping) or set(line) - {"category", "amount"}:
            errors[f"budget_lines.{i}"] = Problem("not_budget_line")
            continue
        if line.get("category") not in BUDGET_CATEGORIES:
            errors[f"budget_lines.{i}.category"] = Problem(
                "not_one_of", {"choices": list(BUDGET_CATEGORIES)}
            )
        amount = _amount(errors, f"budget_lines.{i}.amount", line.get("amount"))
        if amount is None and f"budget_lines.{i}.amount" not in errors:
            errors[f"budget_lines.{i}.amount"] = Problem("required")
        lines.append({"category": line.get("category"), "amount": amount})
    return lines


def _financing(errors: dict[str, Problem], value: Any) -> list[dict[str, Any]]:
    entries = []
    for i, entry in enumerate(_entries(errors, "financing", value)):
        if not isinstance(entry, Mapping) or set(entry) - {"organisation_id", "cash", "in_kind"}:
            errors[f"financing.{i}"] = Problem("not_financing")
            continue
        where = f"financing.{i}.organisation_id"
        org = _id(errors, where, entry.get("organisation_id"), required=True)
        cash = _amount(errors, f"financing.{i}.cash", entry.get("cash", 0))
        in_kind = _amount(errors, f"financing.{i}.in_kind", entry.get("in_kind", 0))
        entries.append({"organisation_id": org, "cash": cash or 0, "in_kind": in_kind or 0})
    return entries


__all__ = [
    "create_application",
    "reapply",
    "record_outcome",
    "submit_application",
    "update_application",
    "withdraw_application",
]
