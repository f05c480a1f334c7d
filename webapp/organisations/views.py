"""The registry's pages. Everyone signed in reads and may propose an organisation;
coordinators and admins register, edit, merge, deactivate and confirm (the engine checks
again on every change)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

import workflow
from webapp.extensions import current_workflow
from webapp.guards import parse_id
from webapp.helpers import actor, page_arg, require, run_form
from webapp.i18n import word
from webapp.organisations import bp
from webapp.organisations.forms import (
    FilterForm,
    MergeForm,
    OrganisationForm,
    ProposeForm,
    organisation_form,
)
from webapp.projects.forms import ActionForm
from workflow import InvalidInput

PER_PAGE = 25
#: how many of an organisation's projects its page lists at a time
PROJECTS_PER_PAGE = 20


def _coordinator() -> bool:
    return actor().is_coordinator


def _filters(form: FilterForm) -> tuple[dict[str, Any], dict[str, str]]:
    """The engine's filters from the filter form, and the query arguments to keep."""
    # each filter on its own: an unknown type or an overlong text is simply no filter
    q = (form.q.data or "").strip()[:200]
    type_ = form.type.data if form.type.data in workflow.ORGANISATION_TYPES else None
    area = form.area.data if form.area.data in workflow.THEMATIC_AREAS else None
    filters: dict[str, Any] = {
        "q": q or None,
        "type": type_,
        "thematic_area": area,
        "approved_research": True if form.approved.data else None,
        "active": None if form.inactive.data else True,
        "confirmed": False if form.waiting.data else None,
    }
    keep = {k: v for k, v in request.args.items() if k != "page" and k in form and v}
    return filters, keep


@bp.get("/organisations")
def index() -> str:
    """Search the registry: text, type, area, approved, deactivated, awaiting confirmation."""
    form = FilterForm(request.args)
    filters, keep = _filters(form)
    page = workflow.list_organisations(
        current_workflow(), **filters, page=page_arg(), per_page=PER_PAGE
    )
    return render_template(
        "organisations/index.html", page=page, form=form, keep=keep, coordinator=_coordinator()
    )


@bp.get("/organisations/<id:oid>")
def show(oid: int) -> str:
    """Everything about one organisation, and the projects it takes part in."""
    wf = current_workflow()
    organisation = workflow.get_organisation(wf, oid)
    projects = workflow.organisation_projects(wf, oid, page=page_arg(), per_page=PROJECTS_PER_PAGE)
    merge_form = None
    if _coordinator() and organisation["merged_into"] is None:
        merge_form = MergeForm()
        merge_form.into.choices = [(0, _("— choose —"))] + [
            (o["id"], o["name"]) for o in workflow.organisation_choices(wf) if o["id"] != oid
        ]
    merged_into = (
        workflow.get_organisation(wf, organisation["merged_into"])
        if organisation["merged_into"]
        else None
    )
    return render_template(
        "organisations/show.html",
        org=organisation,
        projects=projects,
        merge_form=merge_form,
        merged_into=merged_into,
        action_form=ActionForm(),
        coordinator=_coordinator(),
    )


def _save(form: OrganisationForm, call: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the engine; its complaints about a contact land on that contact's row."""
    try:
        return call(*args, **kwargs)
    except InvalidInput as exc:
        rows = form.contact_rows()
        other: dict[str, Any] = {}
        for key, problem in exc.fields.items():
            parts = key.split(".")
            if parts[0] == "contacts" and len(parts) >= 2 and int(parts[1]) < len(rows):
                entry = form.contacts.entries[rows[int(parts[1])]]
                target = entry.form[parts[2]] if len(parts) == 3 else entry.form.name
                target.errors = [*target.errors, word(problem)]
                form.contacts.errors = [_("Check the contacts.")]
            else:
                other[key] = problem
        if other:
            run_form(form, _raise, InvalidInput(other))
        return None


def _raise(error: Exception) -> None:
    raise error


def _parents(form: OrganisationForm, own_id: int | None = None) -> None:
    form.set_parents(workflow.organisation_choices(current_workflow()), own_id)


@bp.route("/organisations/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Register an organisation (coordinators and admins)."""
    require(_coordinator())
    form = organisation_form()
    _parents(form)
    oid = form.validate_on_submit() and _save(
        form, workflow.add_organisation, current_workflow(), actor(), **form.values()
    )
    if oid:
        flash(_("The organisation is registered."), "success")
        return redirect(url_for("organisations.show", oid=oid), 303)
    status = 400 if form.errors else 200
    return render_template("organisations/form.html", form=form, org=None), status


@bp.route("/organisations/<id:oid>/edit", methods=["GET", "POST"])
def edit(oid: int) -> ResponseReturnValue:
    """Edit every field of an organisation (coordinators and admins)."""
    require(_coordinator())
    wf = current_workflow()
    organisation = workflow.get_organisation(wf, oid)
    form = organisation_form(None if request.method == "POST" else organisation)
    _parents(form, oid)
    if form.validate_on_submit():
        values = form.values()
        values["key"] = values["key"] or organisation["key"]
        saved = _save(form, workflow.update_organisation, wf, actor(), oid, **values)
        if saved is not None:
            flash(_("The organisation is saved."), "success")
            return redirect(url_for("organisations.show", oid=oid), 303)
    status = 400 if form.errors else 200
    return render_template("organisations/form.html", form=form, org=organisation), status


def _button(oid: int, call: Any, message: str) -> Response:
    require(_coordinator())
    if not ActionForm().validate_on_submit():
        return redirect(url_for("organisations.show", oid=oid), 303)
    call(current_workflow(), actor(), oid)
    flash(message, "success")
    return redirect(url_for("organisations.show", oid=oid), 303)


@bp.post("/organisations/<id:oid>/deactivate")
def deactivate(oid: int) -> Response:
    """Hide the organisation from pick lists; its projects keep it."""
    return _button(oid, workflow.deactivate_organisation, _("The organisation is deactivated."))


@bp.post("/organisations/<id:oid>/reactivate")
def reactivate(oid: int) -> Response:
    """Offer a deactivated organisation again."""
    return _button(oid, workflow.reactivate_organisation, _("The organisation is active again."))


@bp.post("/organisations/<id:oid>/confirm")
def confirm(oid: int) -> Response:
    """Confirm an owner's proposal."""
    return _button(oid, workflow.confirm_organisation, _("The organisation is confirmed."))


@bp.post("/organisations/<id:oid>/merge")
def merge(oid: int) -> Response:
    """Merge this organisation (a duplicate) into the one chosen."""
    require(_coordinator())
    wf = current_workflow()
    form = MergeForm()
    form.into.choices = [(o["id"], o["name"]) for o in workflow.organisation_choices(wf)]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(url_for("organisations.show", oid=oid), 303)
    moved = workflow.merge_organisations(wf, actor(), oid, into=form.into.data)
    flash(
        _("Merged. %(count)s project(s) now have the surviving organisation.", count=len(moved)),
        "success",
    )
    return redirect(url_for("organisations.show", oid=form.into.data), 303)


@bp.route("/organisations/propose", methods=["GET", "POST"])
def propose() -> ResponseReturnValue:
    """Propose an organisation that is missing (anyone); a coordinator confirms it."""
    project = parse_id(request.args.get("project", ""))
    form = ProposeForm()
    oid = form.validate_on_submit() and run_form(
        form, workflow.propose_organisation, current_workflow(), actor(), **form.values()
    )
    if oid:
        flash(
            _("Thank you. The organisation is awaiting confirmation by a coordinator."),
            "success",
        )
        if project:
            return redirect(url_for("projects.show", pid=project, _anchor="partners"), 303)
        return redirect(url_for("organisations.show", oid=oid), 303)
    status = 400 if form.errors else 200
    return render_template("organisations/propose.html", form=form, project=project), status
