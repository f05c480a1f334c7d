"""Log in, log out, switch language."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

import workflow
from webapp.auth import bp, sso
from webapp.auth.forms import LanguageForm, LoginForm, LogoutForm
from webapp.extensions import WebUser, current_workflow
from webapp.helpers import safe_next

PROBLEMS = {
    "bad": _l("Wrong email or password."),
    "locked": _l(
        "Too many failed attempts: the account is locked for a few minutes. Try again later."
    ),
}


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The login page; on success go where the user was heading."""
    if current_user.is_authenticated:
        return redirect(url_for("tasks.mine"))
    form = LoginForm(next=request.args.get("next", ""))
    if sso.settings().local_login == "off":  # only single sign-on; API tokens still work
        if request.method == "POST":
            form.form_errors.append(_("Log in with single sign-on."))
            return render_template("auth/login.html", form=form), 403
        return render_template("auth/login.html", form=form)
    if form.validate_on_submit():
        result = workflow.authenticate(
            current_workflow(),
            form.email.data or "",  # DataRequired: never None here
            form.password.data or "",
            address=request.remote_addr or "unknown",
        )
        if result.actor is not None:
            session.pop("csrf_token", None)  # a token seen before login is no good after it
            login_user(WebUser(result.actor, result.session))
            flash(_("Welcome, %(name)s.", name=result.actor.name), "success")
            return redirect(safe_next(form.next.data, url_for("tasks.mine")))
        form.form_errors.append(str(PROBLEMS[result.problem or "bad"]))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    """Log out (a POST with the CSRF token)."""
    if LogoutForm().validate_on_submit():
        if current_user.is_authenticated:
            workflow.end_sessions(current_workflow(), current_user.actor.id)
        id_token = session.pop(sso.ID_TOKEN, None)
        logout_user()
        session.pop("csrf_token", None)
        flash(_("You are logged out."), "success")
        at_provider = sso.logout_at_provider(id_token)
        if at_provider is not None:  # RP-initiated logout: end the provider's session too
            return at_provider  # type: ignore[return-value]
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> Response:
    """Switch the language; remembered on the user, or in the session before login."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            workflow.set_language(current_workflow(), current_user.actor, form.language.data or "")
    return redirect(safe_next(form.next.data, url_for("auth.login")))
