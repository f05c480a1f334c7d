"""The owner's buttons on the project page: checklist, partners, submit to a gate.

Each is a POST that makes one engine call, then flashes and redirects back to the
project page (POST/redirect/GET). The engine's refusals become flashes in
:mod:`webapp.errors`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import actor
from webapp.projects import bp
from webapp.projects.forms import (
    ActionForm,
    ChecklistForm,
    PartnerForm,
    PartnerStatusForm,
    SubmitForm,
)


def _back(pid: int, anchor: str = "") -> Response:
    return redirect(url_for("projects.show", pid=pid, _anchor=anchor or None), 303)


@bp.post("/projects/<id:pid>/checklist/<item>")
def checklist(pid: int, item: str) -> Response:
    """Tick (``done=1``) or untick (``done=0``) an item of the current stage's checklist."""
    form = ChecklistForm()
    if not form.validate_on_submit() or form.done.data not in ("0", "1"):
        abort(400)
    workflow.set_checklist_item(current_workflow(), actor(), pid, item, form.done.data == "1")
    return _back(pid, f"check-{item}")  # back to the item itself: the page keeps its place


@bp.post("/projects/<id:pid>/partners")
def add_partner(pid: int) -> ResponseReturnValue:
    """Add an organisation as a partner of the project."""
    form = PartnerForm().set_organisations(workflow.organisation_choices(current_workflow()))
    if form.validate_on_submit():
        org, role = form.organisation_id.data, form.role.data or ""
        workflow.add_partner(current_workflow(), actor(), pid, organisation_id=org, role=role)
        flash(_("The partner is added."), "success")
        return _back(pid, "partners")
    # the page again, with what was chosen and typed, each error on its field
    from webapp.projects.context import project_context  # it imports this module's helpers
    from webapp.projects.suggestions import suggestion_panel

    view = workflow.get_project(current_workflow(), pid)
    context = project_context(view)
    if context["partner_form"] is None:  # not editable (any more): say why on the page
        return _back(pid, "partners")
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form else ""
        flash(f"{label}: " + " ".join(str(e) for e in errors), "error")
    context["partner_form"] = form
    return render_template("projects/show.html", **context, **suggestion_panel(view)), 400


@bp.post("/projects/<id:pid>/partners/<id:partner_id>/status")
def partner_status(pid: int, partner_id: int) -> Response:
    """Move a partner on to (or back to) a status: invited, confirmed, letter of intent."""
    form = PartnerStatusForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return _back(pid, "partners")
    workflow.update_partner(current_workflow(), actor(), pid, partner_id, status=form.status.data)
    flash(_("The partner's status is saved."), "success")
    return _back(pid, "partners")


@bp.post("/projects/<id:pid>/partners/<id:partner_id>/remove")
def remove_partner(pid: int, partner_id: int) -> Response:
    """Remove a partner from the project."""
    if not ActionForm().validate_on_submit():
        abort(400)
    workflow.remove_partner(current_workflow(), actor(), pid, partner_id)
    flash(_("The partner is removed."), "success")
    return _back(pid, "partners")


@bp.post("/projects/<id:pid>/submit")
def submit(pid: int) -> Response:
    """Submit the project to a gate of its stage for the gatekeepers' decision."""
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    workflow.submit_project(current_workflow(), actor(), pid, gate=form.gate.data)
    flash(_("Submitted. The gatekeepers are notified and will decide."), "success")
    return _back(pid)
