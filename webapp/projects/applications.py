"""The project page's applications: what it shows, and the owner's and coordinator's forms
(start, edit, submit, withdraw, re-apply; record the funder's decision).

Each form is a POST with the CSRF token that makes one engine call and redirects back to the
project page; the engine's refusals (a broken call rule, a stale version) become flashes.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import actor
from webapp.i18n import WORDS, word
from webapp.projects import bp
from workflow import Problem, ProjectView

#: the draft's values the edit form sends
_FIELDS = (
    "applied_amount",
    "budget",
    "planned_start",
    "planned_end",
    "applicant_organisation_id",
)


def applications_context(
    view: ProjectView, *, editable: bool, owner: bool, organisations: list[dict[str, Any]]
) -> dict[str, Any]:
    """Template variables of ``projects/_applications.html``."""
    wf = current_workflow()
    found = workflow.list_applications(wf, view.project["id"], per_page=100)
    items = found.items
    for item in items:
        item["rules"] = [
            {"met": c["met"], "text": word(Problem(c["code"], c["params"]))}
            for c in item["call_rules"]
        ]
    current = items[0] if items else None
    in_progress = current is not None and current["status"] in ("draft", "submitted")
    me = actor()
    return {
        "applications": items,
        "current_application": current,
        "application_history": items[1:],
        "application_calls": workflow.application_calls(wf) if editable else [],
        "may_start_application": editable and owner and not in_progress,
        "may_record_outcome": me.is_coordinator and view.project["status"] == "active",
        "applicant_choices": organisations,
        "application_status_label": WORDS["application_status"],
    }


def _back(pid: int) -> Response:
    return redirect(url_for("projects.show", pid=pid, _anchor="applications"), 303)


def _form_values() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in _FIELDS:
        if key in request.form:
            values[key] = request.form[key].strip() or None
    return values


def _id(name: str) -> int:
    raw = request.form.get(name, "")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 2**31 - 1:
        abort(400)
    return int(raw)


@bp.post("/projects/<id:pid>/applications")
def start_application(pid: int) -> Response:
    """Start a draft application for the chosen call."""
    workflow.create_application(current_workflow(), actor(), pid, call_id=_id("call_id"))
    flash(_("The application is started."), "success")
    return _back(pid)


@bp.post("/projects/<id:pid>/applications/<id:aid>")
def edit_application(pid: int, aid: int) -> Response:
    """Save a draft's amounts, dates and applicant."""
    workflow.update_application(current_workflow(), actor(), pid, aid, _form_values())
    flash(_("The application is saved."), "success")
    return _back(pid)


@bp.post("/projects/<id:pid>/applications/<id:aid>/submit")
def submit_application(pid: int, aid: int) -> Response:
    """Submit a draft to its funder (refused, with each broken call rule, when not ready)."""
    workflow.submit_application(current_workflow(), actor(), pid, aid)
    flash(_("The application is submitted."), "success")
    return _back(pid)


@bp.post("/projects/<id:pid>/applications/<id:aid>/withdraw")
def withdraw_application(pid: int, aid: int) -> Response:
    """Withdraw a draft or submitted application."""
    workflow.withdraw_application(current_workflow(), actor(), pid, aid)
    flash(_("The application is withdrawn."), "success")
    return _back(pid)


@bp.post("/projects/<id:pid>/applications/<id:aid>/reapply")
def reapply(pid: int, aid: int) -> Response:
    """Apply again to another call with the rejected application's content."""
    workflow.reapply(current_workflow(), actor(), pid, aid, call_id=_id("call_id"))
    flash(_("A new application is started from the rejected one."), "success")
    return _back(pid)


@bp.post("/projects/<id:pid>/applications/<id:aid>/outcome")
def record_outcome(pid: int, aid: int) -> Response:
    """Record the funder's decision (coordinators)."""
    form = request.form
    workflow.record_outcome(
        current_workflow(),
        actor(),
        pid,
        aid,
        outcome=form.get("outcome", ""),
        granted_amount=(form.get("granted_amount") or "").strip() or None,
        decided_on=form.get("decided_on") or None,
        feedback=form.get("feedback", ""),
        reference=form.get("reference", ""),
    )
    flash(_("The funder's decision is recorded."), "success")
    return _back(pid)
