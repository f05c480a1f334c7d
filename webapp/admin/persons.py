"""Personal data, for admins (issue #17, GDPR art. 15 and 17): enter an email, download
everything held about the person as JSON, or erase them after a confirmation step.

The email travels in POST bodies only (never in a URL, so never in an access log); every
form has CSRF protection; the answers are signed-in pages and so ``no-store``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired

import workflow
from webapp.admin import bp
from webapp.extensions import current_workflow
from webapp.helpers import actor, require
from webapp.validators import Length
from workflow import NotFound


class PersonForm(FlaskForm):
    """Whose data: their email."""

    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter an email.")), Length(max=254)]
    )


class EraseForm(FlaskForm):
    """The confirmation of an erasure."""

    email = HiddenField(validators=[DataRequired(), Length(max=254)])


@bp.get("/admin/personal-data")
def personal_data() -> str:
    """The form: an email, then export or erase."""
    require(actor().is_admin)
    return render_template("admin/persons.html", form=PersonForm(formdata=None))


@bp.post("/admin/personal-data")
def personal_data_action() -> Response | str:
    """Export the person's data as a JSON download, or ask to confirm their erasure."""
    require(actor().is_admin)
    form = PersonForm()
    if not form.validate_on_submit():
        return Response(render_template("admin/persons.html", form=form), status=400)
    email = (form.email.data or "").strip()
    wf = current_workflow()
    try:
        chunks = workflow.export_person(wf, email)
    except NotFound:
        flash(_("No one is registered with that email."), "error")
        return Response(render_template("admin/persons.html", form=form), status=404)
    if request.form.get("action") == "erase":
        confirm = EraseForm(formdata=None, email=email)
        return render_template("admin/persons_erase.html", form=confirm, email=email)
    return Response(
        stream_with_context(chunks),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="personopplysninger.json"'},
    )


@bp.post("/admin/personal-data/erase")
def personal_data_erase() -> Response:
    """Erase the confirmed person."""
    require(actor().is_admin)
    form = EraseForm()
    if not form.validate_on_submit():
        flash(_("The erasure was not confirmed."), "error")
        return redirect(url_for("admin.personal_data"), 303)
    try:
        done = workflow.erase_person(current_workflow(), actor(), form.email.data or "")
    except NotFound:
        flash(_("No one is registered with that email."), "error")
        return redirect(url_for("admin.personal_data"), 303)
    flash(
        _(
            "The person is erased: the account is now %(email)s, and their name and address "
            "are gone from %(projects)s project(s) and %(rows)s other row(s).",
            email=done.email,
            projects=done.projects,
            rows=done.rows,
        ),
        "success",
    )
    return redirect(url_for("admin.personal_data"), 303)
