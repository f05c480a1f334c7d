"""The project page's room (issue #14): its roles, each filled by a user the owner names by
email address; and its attachments, the list with each type's history, a download link per
version, and the upload form for the owner and the project manager.

The upload streams the file into the store and records it in one engine call; refusals
(a fake PDF, too large, frozen in review) become flashes in :mod:`webapp.errors`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField

import workflow
from webapp.api.room import attachment_response
from webapp.extensions import current_workflow
from webapp.guards import parse_id, project_version
from webapp.helpers import actor
from webapp.i18n import language, word
from webapp.projects import bp
from workflow import ProjectView

ROLE_FIELD = "role-"


class VersionForm(FlaskForm):
    """A post based on the version the page showed (the other values are read raw)."""

    version = HiddenField(validators=[project_version])


@bp.app_template_global()
def role_panel(view: ProjectView) -> dict[str, Any]:
    """What the roles section of the project page shows: each declared role, its user,
    and whether the viewer (the owner, while the project is active or completed) names them."""
    wf = current_workflow()
    p = view.project
    spec = wf.catalog.of(p)
    if not spec.project_roles:
        return {"roles": []}
    held = workflow.project_roles_of(wf, p["id"])
    return {
        "roles": [(r.key, r.label, held.get(r.key)) for r in spec.project_roles],
        "may_set": p["owner_id"] == actor().id and p["status"] in ("active", "completed"),
        "form": VersionForm(formdata=None, version=p["version"]),
        "field": ROLE_FIELD,
    }


@bp.post("/projects/<id:pid>/roles")
def set_roles(pid: int) -> Response:
    """Name the users in the project's roles by their email addresses (empty: nobody)."""
    form = VersionForm()
    back = redirect(url_for("projects.show", pid=pid, _anchor="roles"), 303)
    if not form.validate_on_submit():
        flash(_("The form is out of date; try again."), "error")
        return back
    wf = current_workflow()
    spec = wf.catalog.of(workflow.get_project(wf, pid).project)
    emails = {
        r.key: request.form.get(ROLE_FIELD + r.key, "")[:254].strip() or None
        for r in spec.project_roles
    }
    try:
        workflow.set_roles(
            wf,
            actor(),
            pid,
            emails,
            expected_version=parse_id(str(form.version.data)) if form.version.data else None,
        )
    except workflow.InvalidInput as error:
        labels = {r.key: r.label for r in spec.project_roles}
        lang = language()
        for key, problem in error.fields.items():
            label = labels.get(key)
            name = getattr(label, lang, None) or key if label else key
            flash(f"{name}: {word(problem)}", "error")
        return back
    flash(_("The roles are saved."), "success")
    return back


@bp.app_template_global()
def attachment_panel(view: ProjectView) -> dict[str, Any]:
    """What the attachments section of the project page shows."""
    wf = current_workflow()
    p = view.project
    spec = wf.catalog.of(p)
    lang = language()
    labels = {t.key: getattr(t.label, lang, None) or t.label.nb for t in spec.attachment_types}
    return {
        "items": workflow.list_attachments(wf, p["id"]),
        "labels": labels,
        "may_upload": p["status"] == "active"
        and bool(labels)
        and workflow.may_edit_project(wf, p, actor().id),
        "form": VersionForm(formdata=None, version=p["version"]),
        "max_mb": current_app.config["SAMSPILL_SETTINGS"].max_upload_mb,
    }


@bp.post("/projects/<id:pid>/attachments")
def upload_attachment(pid: int) -> Response:
    """Upload a file as the next version of its type."""
    form = VersionForm()
    back = redirect(url_for("projects.show", pid=pid, _anchor="attachments"), 303)
    if not form.validate_on_submit():
        flash(_("The form is out of date; try again."), "error")
        return back
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a file."), "error")
        return back
    settings = current_app.config["SAMSPILL_SETTINGS"]
    try:
        workflow.upload_attachment(
            current_workflow(),
            actor(),
            pid,
            type=request.form.get("type", ""),
            stream=file.stream,  # type: ignore[arg-type]
            filename=file.filename,
            store=settings.file_store(),
            limit=int(settings.max_upload_mb) * 1024 * 1024,
            expected_version=parse_id(str(form.version.data)) if form.version.data else None,
        )
    finally:
        file.close()
    flash(_("The file is uploaded."), "success")
    return back


@bp.get("/projects/<id:pid>/attachments/<id:aid>")
def download_attachment(pid: int, aid: int) -> Any:
    """The file, streamed as a download."""
    actor()
    return attachment_response(pid, aid)
