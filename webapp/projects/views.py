"""My projects, a new idea, the project page and its details form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import actor, is_owner, page_arg, require, run_form, spec_of
from webapp.projects import bp
from webapp.projects.context import project_context
from webapp.projects.forms import DetailsForm, details_form
from webapp.projects.lessons import similar
from webapp.projects.suggestions import suggestion_panel


@bp.get("/")
def index() -> Response:
    """The start page is the user's tasks."""
    return redirect(url_for("tasks.mine"))


@bp.get("/projects/mine")
def mine() -> str:
    """The projects the user owns, newest first."""
    filters = workflow.ProjectFilter(owner_id=actor().id)
    page = workflow.list_projects(current_workflow(), filters, page=page_arg(), per_page=25)
    return render_template("projects/mine.html", page=page)


@bp.get("/projects/new")
def choose() -> str:
    """Choose the collaboration form of a new idea; each explains itself."""
    return render_template("projects/choose.html", definitions=current_workflow().catalog.latest())


@bp.route("/projects/new/<key>", methods=["GET", "POST"])
def new(key: str) -> ResponseReturnValue:
    """Describe a new idea in the chosen collaboration form."""
    spec = current_workflow().catalog.get(key)
    form = details_form(spec)
    if request.method == "POST" and request.form.get("similar"):  # "others tried this"
        return render_template("projects/new.html", form=form, spec=spec, similar=similar(form))
    pid = form.validate_on_submit() and run_form(
        form, workflow.create_project, current_workflow(), actor(), definition=key, **form.values()
    )
    if pid:
        flash(_("Your idea is registered. Next: work through the checklist below."), "success")
        return redirect(url_for("projects.show", pid=pid))
    return render_template("projects/new.html", form=form, spec=spec), 400 if form.errors else 200


@bp.get("/projects/<id:pid>")
def show(pid: int) -> str:
    """The project page: stage map, guidance, checklist, partners, gates, timeline."""
    view = workflow.get_project(current_workflow(), pid)
    active = view.project["status"] == "active"
    feedback = workflow.sent_back(current_workflow(), pid) if active else None
    return render_template(
        "projects/show.html",
        **project_context(view),
        **suggestion_panel(view),
        feedback=feedback,
    )


@bp.route("/projects/<id:pid>/edit", methods=["GET", "POST"])
def edit(pid: int) -> ResponseReturnValue:
    """Edit the project's title, summary and the definition's fields (owner only)."""
    view = workflow.get_project(current_workflow(), pid)
    require(is_owner(view))
    form = details_form(spec_of(view), view.project)
    try:
        saved = form.validate_on_submit() and run_form(
            form,
            workflow.update_project,
            current_workflow(),
            actor(),
            pid,
            expected_version=form.expected_version(),
            **form.values(),
        )
    except workflow.StaleVersion:
        # a save from another tab or person came first: keep what was typed, say what differs
        view = workflow.get_project(current_workflow(), pid)
        form.version.data = str(view.project["version"])
        form.form_errors.append(_changed_meanwhile(form, view))
        saved = None
    if saved:
        flash(_("The project is saved."), "success")
        return redirect(url_for("projects.show", pid=pid))
    status = 400 if form.errors else 200
    return render_template("projects/edit.html", form=form, view=view, spec=spec_of(view)), status


def _changed_meanwhile(form: DetailsForm, view: workflow.ProjectView) -> str:
    """A message naming the fields whose stored value now differs from what was typed."""
    stored = view.project
    typed = form.values()
    names = [
        str(form[key].label.text)
        for key in ("title", "summary", "thematic_area")
        if (typed[key] or None) != (stored[key] or None)
    ]
    names += [
        str(form[f"field_{key}"].label.text)
        for key, value in typed["fields"].items()
        if value != stored["fields"].get(key)
    ]
    message = _(
        "Someone saved this project while you were editing. Your text is kept below; "
        "check it against the saved version and save again."
    )
    if names:
        message += " " + _("Now saved differently: %(fields)s.", fields=", ".join(names))
    return message
