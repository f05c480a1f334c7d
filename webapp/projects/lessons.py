"""The project page's lesson learned: the lesson as written, and its owner's form (a POST
making one engine call, then a flash and a redirect back to the section; the engine's
refusals become flashes in :mod:`webapp.errors`).

``lesson_panel(view)`` gathers what ``projects/_lesson.html`` shows.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Optional

import workflow
from webapp.extensions import current_workflow
from webapp.guards import parse_id, project_version
from webapp.helpers import actor
from webapp.projects import bp
from webapp.validators import Length
from workflow import ProjectView

#: the project statuses in which a lesson can be written (the engine enforces it again)
OPEN = ("active", "completed", "killed")


class LessonForm(FlaskForm):
    """The owner's lesson learned, based on the version the page showed."""

    version = HiddenField(validators=[project_version])
    worked = TextAreaField(_l("What worked"), validators=[Optional(), Length(max=5_000)])
    did_not_work = TextAreaField(
        _l("What did not work"), validators=[Optional(), Length(max=5_000)]
    )
    advice = TextAreaField(
        _l("Advice to the next project"), validators=[Optional(), Length(max=5_000)]
    )
    tags = StringField(
        _l("Tags"),
        description=_l("Separate them with commas."),
        validators=[Optional(), Length(max=1_000)],
    )

    def expected_version(self) -> int | None:
        return parse_id(str(self.version.data)) if self.version.data else None

    def tag_list(self) -> list[str]:
        return [t.strip() for t in (self.tags.data or "").split(",") if t.strip()]


@bp.app_template_global()
def lesson_panel(view: ProjectView) -> dict[str, Any]:
    """What the lesson section of the project page shows, and whether it offers the form."""
    p = view.project
    found = workflow.get_lesson(current_workflow(), p["id"])
    lesson = found["lesson"]
    may_write = p["owner_id"] == actor().id and p["status"] in OPEN
    form = LessonForm(
        formdata=None,
        version=found["version"],
        worked=(lesson or {}).get("worked", ""),
        did_not_work=(lesson or {}).get("did_not_work", ""),
        advice=(lesson or {}).get("advice", ""),
        tags=", ".join((lesson or {}).get("tags", [])),
    )
    return {
        "lesson": lesson,
        "may_write": may_write,
        "asked": p["status"] in ("completed", "killed") and lesson is None,
        "form": form,
    }


@bp.post("/projects/<id:pid>/lesson")
def write_lesson(pid: int) -> Response:
    """The owner writes the project's lesson learned."""
    form = LessonForm()
    if form.validate_on_submit():
        workflow.write_lesson(
            current_workflow(),
            actor(),
            pid,
            worked=form.worked.data or "",
            did_not_work=form.did_not_work.data or "",
            advice=form.advice.data or "",
            tags=form.tag_list(),
            expected_version=form.expected_version(),
        )
        flash(_("The lesson learned is saved."), "success")
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")
    return redirect(url_for("projects.show", pid=pid, _anchor="lesson"), 303)


def similar(form: FlaskForm) -> list[dict[str, Any]]:
    """The past projects most like the idea typed into the new-idea ``form`` so far, each
    with its lesson learned: "others tried this"."""
    texts = [str(f.data) for f in form if isinstance(f.data, str) and f.name != "csrf_token"]
    return workflow.similar_projects(current_workflow(), " ".join(texts)[:4_000], limit=5)
