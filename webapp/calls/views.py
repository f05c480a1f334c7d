"""The calls' pages. Everyone signed in reads; coordinators and admins register and edit
(the engine checks again on every change)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import workflow
from webapp.calls import bp
from webapp.calls.forms import CallForm, FilterForm, call_form
from webapp.extensions import current_workflow
from webapp.helpers import actor, page_arg, require, run_form

PER_PAGE = 25
#: how many of a call's applications its page lists at a time
APPLICATIONS_PER_PAGE = 20
#: the words of a call's phase
PHASE_LABEL = {"open": _l("Open"), "upcoming": _l("Upcoming"), "closed": _l("Closed")}
#: the words of an application's status
APPLICATION_STATUS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "granted": _l("Granted"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}
#: the words of the attachment types calls ask for most (others are shown by key)
ATTACHMENT_LABEL = {
    "project_description": _l("Project description"),
    "partner_information": _l("Partner information"),
    "cv": _l("CVs"),
    "letter_of_intent": _l("Letter of intent"),
    "budget": _l("Budget"),
}


def _coordinator() -> bool:
    return actor().is_coordinator


def _words() -> dict[str, Any]:
    return {
        "phase_label": PHASE_LABEL,
        "application_status": APPLICATION_STATUS,
        "attachment_label": ATTACHMENT_LABEL,
        "types": workflow.ORGANISATION_TYPES,
    }


@bp.get("/calls")
def index() -> str:
    """Open calls first, then upcoming, then closed; filtered by phase and funder."""
    form = FilterForm(request.args)
    phase = form.phase.data if form.phase.data in workflow.CALL_PHASES else None
    funder = (form.funder.data or "").strip()[:200] or None
    page = workflow.list_calls(
        current_workflow(), phase=phase, funder=funder, page=page_arg(), per_page=PER_PAGE
    )
    keep = {k: v for k, v in request.args.items() if k != "page" and k in form and v}
    return render_template(
        "calls/index.html",
        page=page,
        form=form,
        keep=keep,
        coordinator=_coordinator(),
        **_words(),
    )


@bp.get("/calls/<id:cid>")
def show(cid: int) -> str:
    """Every date and rule of a call, and the projects applying to it."""
    wf = current_workflow()
    call = workflow.get_call(wf, cid, per_page=1)
    applications = workflow.call_applications(
        wf, cid, page=page_arg(), per_page=APPLICATIONS_PER_PAGE
    )
    return render_template(
        "calls/show.html",
        call=call,
        applications=applications,
        coordinator=_coordinator(),
        **_words(),
    )


def _form_page(form: CallForm, call: dict[str, Any] | None) -> ResponseReturnValue:
    status = 400 if form.errors else 200
    return render_template("calls/form.html", form=form, call=call, **_words()), status


@bp.route("/calls/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Register a call (coordinators and admins)."""
    require(_coordinator())
    wf = current_workflow()
    form = call_form(None, wf.zone)
    cid = form.validate_on_submit() and run_form(
        form, workflow.create_call, wf, actor(), **form.values(wf.zone)
    )
    if cid:
        flash(_("The call is registered."), "success")
        return redirect(url_for("calls.show", cid=cid), 303)
    return _form_page(form, None)


@bp.route("/calls/<id:cid>/edit", methods=["GET", "POST"])
def edit(cid: int) -> ResponseReturnValue:
    """Edit every field of a call (coordinators and admins)."""
    require(_coordinator())
    wf = current_workflow()
    call = workflow.get_call(wf, cid, per_page=1)
    form = call_form(None if request.method == "POST" else call, wf.zone)
    if form.validate_on_submit():
        saved = run_form(form, workflow.update_call, wf, actor(), cid, **form.values(wf.zone))
        if saved is not None:
            flash(_("The call is saved."), "success")
            return redirect(url_for("calls.show", cid=cid), 303)
    return _form_page(form, call)
