"""The project page's reports: the list, the owner's forms to add and deliver them, and the
coordinator's button to approve one (SPEC §5). Each form is a POST making one engine call,
then a flash and a redirect back to the reports section; the engine's refusals become
flashes in :mod:`webapp.errors`.

``report_panel(view)`` gathers what ``projects/_reports.html`` shows, so the project page
needs only the include.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Optional

import workflow
from webapp.extensions import current_workflow
from webapp.guards import parse_id, project_version
from webapp.helpers import actor
from webapp.i18n import WORDS
from webapp.projects import bp
from webapp.projects.forms import Day
from webapp.validators import Length
from workflow import ProjectView

#: the project statuses in which reports can change (the engine enforces it again)
OPEN = ("active", "completed")


class ReportForm(FlaskForm):
    """A form about the project's reports, based on the version the page showed."""

    version = HiddenField(validators=[project_version])

    def expected_version(self) -> int | None:
        return parse_id(str(self.version.data)) if self.version.data else None


class ProgressReportForm(ReportForm):
    """Add a progress report due on a day."""

    due_on = Day(_l("Due date"), validators=[DataRequired(_l("Choose the due date."))])


class DeliverForm(ReportForm):
    """Deliver a report, with a note."""

    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5_000)])


def _back(pid: int) -> Response:
    return redirect(url_for("projects.show", pid=pid, _anchor="reports"), 303)


def _flash_errors(form: FlaskForm) -> None:
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")


@bp.app_template_global()
def report_panel(view: ProjectView) -> dict[str, Any]:
    """What the reports section of the project page shows, and which forms it offers."""
    p = view.project
    found = workflow.project_reports(current_workflow(), p["id"])
    me = actor()
    owner = p["owner_id"] == me.id
    is_open = p["status"] in OPEN
    return {
        "reports": found,
        "kind_label": WORDS["report_kind"],
        "status_label": WORDS["report_status"],
        "may_add": is_open and (owner or me.is_coordinator),
        "may_deliver": is_open and owner,
        "may_approve": is_open and me.is_coordinator and not owner,
        "progress_form": ProgressReportForm(formdata=None, version=found.version),
        "deliver_form": DeliverForm(formdata=None, version=found.version),
        "action_form": ReportForm(formdata=None, version=found.version),
    }


@bp.post("/projects/<id:pid>/reports/progress")
def add_progress_report(pid: int) -> Response:
    """Add a progress report due on the chosen day."""
    form = ProgressReportForm()
    if form.validate_on_submit():
        workflow.add_report(
            current_workflow(),
            actor(),
            pid,
            kind="progress",
            due_on=form.due_on.data,
            expected_version=form.expected_version(),
        )
        flash(_("The progress report is added."), "success")
    _flash_errors(form)
    return _back(pid)


@bp.post("/projects/<id:pid>/reports/final")
def add_final_report(pid: int) -> Response:
    """Add the final report, due one calendar month after the project's end."""
    form = ReportForm()
    if not form.validate_on_submit():
        abort(400)
    workflow.add_report(
        current_workflow(), actor(), pid, kind="final", expected_version=form.expected_version()
    )
    flash(_("The final report is added."), "success")
    return _back(pid)


@bp.post("/projects/<id:pid>/reports/<id:rid>/deliver")
def deliver_report(pid: int, rid: int) -> Response:
    """Deliver a report today, with a note."""
    form = DeliverForm()
    if form.validate_on_submit():
        workflow.deliver_report(
            current_workflow(),
            actor(),
            pid,
            rid,
            note=form.note.data or "",
            expected_version=form.expected_version(),
        )
        flash(_("The report is delivered."), "success")
    _flash_errors(form)
    return _back(pid)


@bp.post("/projects/<id:pid>/reports/<id:rid>/approve")
def approve_report(pid: int, rid: int) -> Response:
    """Approve a delivered report (coordinators)."""
    form = ReportForm()
    if not form.validate_on_submit():
        abort(400)
    workflow.approve_report(
        current_workflow(), actor(), pid, rid, expected_version=form.expected_version()
    )
    flash(_("The report is approved."), "success")
    return _back(pid)
