"""The form a gatekeeper names a substitute with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField
from wtforms.validators import DataRequired

from webapp.validators import Length


class SubstituteForm(FlaskForm):
    """Name a user who votes in my group from one day to another."""

    email = EmailField(
        _l("The substitute's email"),
        validators=[DataRequired(), Length(max=254)],
        description=_l(
            "They vote in your group in the period; their own organisation still counts "
            "for conflicts of interest."
        ),
    )
    starts_on = DateField(_l("From"), validators=[DataRequired()])
    ends_on = DateField(_l("To (included)"), validators=[DataRequired()])


class RemoveSubstituteForm(FlaskForm):
    """End the substitute's period at once (a POST with the CSRF token)."""
