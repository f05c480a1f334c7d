"""The project page's publish button (issue #17): a coordinator shows the project in the
public portfolio at ``/open``, or takes it back. Each is a POST making one engine call, then
a flash and a redirect back; the engine's refusals become flashes in :mod:`webapp.errors`.

``publish_panel(view)`` gathers what ``projects/_publish.html`` shows.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField

import workflow
from webapp.extensions import current_workflow
from webapp.guards import parse_id, project_version
from webapp.helpers import actor
from webapp.projects import bp
from workflow import ProjectView


class PublishForm(FlaskForm):
    """Publish or unpublish, based on the version the page showed."""

    version = HiddenField(validators=[project_version])

    def expected_version(self) -> int | None:
        return parse_id(str(self.version.data)) if self.version.data else None


@bp.app_template_global()
def publish_panel(view: ProjectView) -> dict[str, Any]:
    """Whether the publish section shows, the project's state and its form."""
    p = view.project
    return {
        "show": actor().is_coordinator,
        "published": bool(p.get("published")),
        "published_at": p.get("published_at"),
        "form": PublishForm(formdata=None, version=p["version"]),
    }


def _back(pid: int) -> Response:
    return redirect(url_for("projects.show", pid=pid, _anchor="publish"), 303)


@bp.post("/projects/<id:pid>/publish")
def publish(pid: int) -> Response:
    """Show the project in the public portfolio (coordinators)."""
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    workflow.publish_project(
        current_workflow(), actor(), pid, expected_version=form.expected_version()
    )
    flash(_("The project is published at the open portfolio."), "success")
    return _back(pid)


@bp.post("/projects/<id:pid>/unpublish")
def unpublish(pid: int) -> Response:
    """Take the project out of the public portfolio (coordinators)."""
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    workflow.unpublish_project(
        current_workflow(), actor(), pid, expected_version=form.expected_version()
    )
    flash(_("The project is no longer published."), "success")
    return _back(pid)
