"""Forms of the auth pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired

from webapp.validators import Length
from workflow import LANGUAGES


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class LanguageForm(FlaskForm):
    """The language switch in the page header (one button per language)."""

    language = StringField(validators=[AnyOf(LANGUAGES)])
    next = HiddenField()


class LogoutForm(FlaskForm):
    """Logging out is a POST, so another site cannot log a user out."""
