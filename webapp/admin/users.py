"""User administration for admins: list, create, change, deactivate, reset password, tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Optional

import workflow
from webapp.admin import bp
from webapp.extensions import current_workflow
from webapp.helpers import actor, page_arg, require, run_form
from webapp.i18n import language
from webapp.validators import Length

PER_PAGE = 50
ROLE_WORDS = {
    "owner": _l("Owner"),
    "gatekeeper": _l("Gatekeeper"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}


def _roles() -> list[tuple[str, str]]:
    return [(r, str(ROLE_WORDS[r])) for r in workflow.ROLES]


class UserForm(FlaskForm):
    """Role, gatekeeper group and organisation of a user."""

    role = SelectField(_l("Role"), choices=_roles)
    group = StringField(
        _l("Gatekeeper group"),
        validators=[Optional(), Length(max=64)],
        description=_l("Only for gatekeepers, e.g. kommune or ntnu."),
    )
    org = StringField(_l("Organisation (key)"), validators=[Optional(), Length(max=64)])


class NewUserForm(UserForm):
    """A new local user."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(FlaskForm):
    """A new password; empty: one is generated and shown once."""

    password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty to generate one."),
        render_kw={"autocomplete": "new-password"},
    )


class ActionForm(FlaskForm):
    """A button (deactivate, reactivate, revoke) with only the CSRF token."""


def _user_id(user_id: str) -> int:
    require(actor().is_admin)
    if not user_id.isdigit() or len(user_id) > 12:
        raise workflow.NotFound("no_user", user=user_id[:20])
    return int(user_id)


@bp.route("/admin/users", methods=["GET", "POST"])
def users() -> ResponseReturnValue:
    """Users with search and pagination, and the form for a new one."""
    require(actor().is_admin)
    wf = current_workflow()
    form = NewUserForm()
    if form.validate_on_submit():
        new_id = run_form(
            form,
            workflow.add_user,
            wf,
            email=form.email.data or "",
            name=form.name.data or "",
            role=form.role.data or "",
            password=form.password.data or "",
            group=form.group.data or None,
            organisation_key=form.org.data or None,
        )
        if new_id is not None:
            flash(_("The user was created."), "success")
            return redirect(url_for("admin.user", user_id=new_id))
    search = (request.args.get("q") or "")[:200]
    page = workflow.list_users(wf, actor(), search=search, page=page_arg(), per_page=PER_PAGE)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "admin/users.html", page=page, form=form, q=search, roles=ROLE_WORDS
    ), status


def _detail(
    user_id: int,
    *,
    edit: UserForm | None = None,
    password: PasswordForm | None = None,
    shown: str | None = None,
) -> ResponseReturnValue:
    wf = current_workflow()
    user = workflow.get_user(wf, actor(), user_id)
    for held in user["open_roles"]:
        spec = wf.catalog.get(held["definition_key"], held["definition_version"])
        labels = {r.key: r.label.get(language()) for r in spec.project_roles}
        held["role_label"] = labels.get(held["role"], held["role"])
    failed = edit is not None or password is not None
    edit = edit or UserForm(
        formdata=None,
        role=user["role"],
        group=user["gatekeeper_group"],
        org=user["organisation_key"],
    )
    page = render_template(
        "admin/user.html",
        user=user,
        edit=edit,
        password=password or PasswordForm(formdata=None),
        action=ActionForm(),
        roles=ROLE_WORDS,
        shown=shown,
    )
    return page, 400 if failed else 200


def _update(uid: int, **changes: str | None) -> bool:
    workflow.update_user(current_workflow(), actor(), uid, **changes)  # type: ignore[arg-type]
    return True


@bp.route("/admin/users/<user_id>", methods=["GET", "POST"])
def user(user_id: str) -> ResponseReturnValue:
    """One user: change role, group and organisation; their tokens and open work."""
    uid = _user_id(user_id)
    form = UserForm()
    if request.method == "POST" and form.validate_on_submit():
        done = run_form(
            form,
            _update,
            uid,
            role=form.role.data or "",
            group=form.group.data or None,
            organisation_key=form.org.data or None,
        )
        if done:
            flash(_("The user was changed."), "success")
            return redirect(url_for("admin.user", user_id=uid))
        return _detail(uid, edit=form)
    if request.method == "POST":
        return _detail(uid, edit=form)
    return _detail(uid)


@bp.post("/admin/users/<user_id>/active")
def active(user_id: str) -> ResponseReturnValue:
    """Deactivate or reactivate a user."""
    uid = _user_id(user_id)
    if ActionForm().validate_on_submit():
        on = request.form.get("active") == "1"
        workflow.set_active(current_workflow(), actor(), uid, active=on)
        flash(_("The user was reactivated.") if on else _("The user was deactivated."), "success")
    return redirect(url_for("admin.user", user_id=uid))


@bp.post("/admin/users/<user_id>/password")
def password(user_id: str) -> ResponseReturnValue:
    """Set a new password, or generate one and show it once."""
    uid = _user_id(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        new = run_form(
            form,
            workflow.reset_password,
            current_workflow(),
            actor(),
            uid,
            form.password.data or None,
        )
        if new is not None:
            shown = None if form.password.data else new
            flash(_("The password was changed; the user's sessions ended."), "success")
            return _detail(uid, shown=shown)
    return _detail(uid, password=form)


@bp.post("/admin/users/<user_id>/tokens/<token_id>/revoke")
def revoke(user_id: str, token_id: str) -> ResponseReturnValue:
    """Revoke one of the user's API tokens."""
    uid = _user_id(user_id)
    if ActionForm().validate_on_submit() and token_id.isdigit() and len(token_id) < 12:
        workflow.revoke_user_token(current_workflow(), actor(), uid, int(token_id))
        flash(_("The token was revoked."), "success")
    return redirect(url_for("admin.user", user_id=uid))
