"""The admin's thematic areas: list, add, edit, end validity (old projects keep theirs)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Optional

import workflow
from webapp.admin import bp
from webapp.extensions import current_workflow
from webapp.helpers import actor, require, run_form
from webapp.validators import Length


class AreaForm(FlaskForm):
    """A thematic area's labels and validity (the key only when it is new)."""

    key = StringField(
        _l("Key"),
        validators=[Optional(), Length(max=64)],
        description=_l("Lower-case letters, digits and '_'; it never changes."),
    )
    label_nb = StringField(_l("Name in Norwegian"), validators=[DataRequired(), Length(max=100)])
    label_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=100)])
    valid_from = DateField(_l("Valid from"), validators=[Optional()])
    valid_to = DateField(_l("Valid to (included)"), validators=[Optional()])

    def values(self) -> dict[str, Any]:
        """What the engine takes from this form."""
        return {
            "label_nb": self.label_nb.data,
            "label_en": self.label_en.data,
            "valid_from": self.valid_from.data,
            "valid_to": self.valid_to.data,
        }


class EndAreaForm(FlaskForm):
    """End an area's validity (a POST with the CSRF token)."""


@bp.route("/admin/areas", methods=["GET", "POST"])
def areas() -> ResponseReturnValue:
    """Every thematic area with its validity, and a form to add one."""
    require(actor().is_admin)
    wf = current_workflow()
    form = AreaForm()
    if form.validate_on_submit():
        key = form.key.data or ""
        if run_form(form, _save, wf, key, new=True, **form.values()):
            flash(_("The thematic area is added."), "success")
            return redirect(url_for("admin.areas"))
    today = wf.today()
    return render_template(
        "admin/areas.html",
        areas=workflow.list_thematic_areas(wf),
        valid={a["key"] for a in workflow.list_thematic_areas(wf, valid_on=today)},
        form=form,
        end_form=EndAreaForm(),
    ), 400 if form.errors or form.form_errors else 200


def _save(wf: workflow.Workflow, key: str, **values: Any) -> bool:
    workflow.save_thematic_area(wf, actor(), key, **values)
    return True


@bp.route("/admin/areas/<key>", methods=["GET", "POST"])
def edit_area(key: str) -> ResponseReturnValue:
    """Change a thematic area's names and validity."""
    require(actor().is_admin)
    wf = current_workflow()
    found = [a for a in workflow.list_thematic_areas(wf) if a["key"] == key]
    if not found:
        raise workflow.NotFound("no_area", area=key)
    form = AreaForm(data=found[0])
    if form.validate_on_submit() and run_form(form, _save, wf, key, **form.values()):
        flash(_("The thematic area is saved."), "success")
        return redirect(url_for("admin.areas"))
    return render_template("admin/area.html", form=form, area=found[0]), (
        400 if form.errors or form.form_errors else 200
    )


@bp.post("/admin/areas/<key>/end")
def end_area(key: str) -> Response:
    """End a thematic area's validity: new projects no longer choose it."""
    require(actor().is_admin)
    if EndAreaForm().validate_on_submit():
        workflow.end_thematic_area(current_workflow(), actor(), key)
        flash(_("The thematic area is no longer offered to new projects."), "success")
    return redirect(url_for("admin.areas"))
