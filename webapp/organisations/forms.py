"""Forms of the registry pages. WTForms checks the shape of each value; the engine checks
the rules (organisation number, parent, uniqueness) and its complaints land on the same
fields (:func:`webapp.helpers.run_form`)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import FieldList
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.helpers import options
from webapp.i18n import vocabulary
from webapp.validators import Length

#: how many contact rows the form shows (filled ones plus empty ones, at least this many)
CONTACT_ROWS = 3


def _types() -> list[Any]:
    return options([("", _l("— choose —")), *vocabulary("organisation_type")])


def _areas() -> list[Any]:
    return options(vocabulary("thematic_area"))


class ContactForm(Form):
    """One contact row; a row without a name is left out."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    role = StringField(_l("Role"), validators=[Optional(), Length(max=100)])


class ProposeForm(FlaskForm):
    """What an owner gives when proposing an organisation."""

    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the organisation's name.")), Length(max=200)]
    )
    type = SelectField(
        _l("Type"), choices=_types, validators=[DataRequired(_l("Choose the type."))]
    )
    org_number = StringField(
        _l("Organisation number"),
        validators=[Optional(), Length(max=20)],
        description=_l("9 digits, from the Brønnøysund Register Centre (optional)."),
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5_000)], render_kw={"rows": 3}
    )

    def values(self) -> dict[str, Any]:
        """What the engine's propose takes from this form."""
        return {
            "name": self.name.data,
            "type": self.type.data,
            "org_number": self.org_number.data or None,
            "description": self.description.data or "",
        }


class OrganisationForm(ProposeForm):
    """Every field of the registry, for coordinators."""

    key = StringField(
        _l("Short key"),
        validators=[Optional(), Length(max=64)],
        description=_l("Lower-case letters, digits, _ or -; made from the name when empty."),
    )
    parent_id = SelectField(_l("Part of"), coerce=int, validators=[Optional()])
    approved_research = BooleanField(_l("Approved research organisation"))
    keywords = StringField(
        _l("Keywords"),
        validators=[Optional(), Length(max=2_000)],
        description=_l("Competence, comma-separated."),
    )
    thematic_areas = SelectMultipleField(
        _l("Thematic areas"),
        choices=_areas,
        validators=[Optional()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    contacts = FieldList(FormField(ContactForm), min_entries=CONTACT_ROWS)

    def set_parents(self, choices: list[dict[str, Any]], own_id: int | None = None) -> None:
        """Offer ``choices`` (id, name) as the parent, never the organisation itself."""
        self.parent_id.choices = options(
            [(0, _l("— none —"))] + [(o["id"], o["name"]) for o in choices if o["id"] != own_id]
        )

    def contact_rows(self) -> list[int]:
        """The index of each filled contact row, in the order :meth:`values` lists them."""
        return [
            n
            for n, c in enumerate(self.contacts.data)
            if (c["name"] or "").strip() or (c["email"] or "").strip()
        ]

    def values(self) -> dict[str, Any]:
        """What the engine's create and update take from this form."""
        keywords = [k.strip() for k in (self.keywords.data or "").split(",")]
        return {
            **super().values(),
            "key": self.key.data or None,
            "parent_id": self.parent_id.data or None,
            "approved_research": bool(self.approved_research.data),
            "keywords": [k for k in keywords if k],
            "thematic_areas": list(self.thematic_areas.data or []),
            "contacts": [
                {"name": c["name"] or "", "email": c["email"] or "", "role": c["role"] or ""}
                for c in (self.contacts.data[n] for n in self.contact_rows())
            ],
        }


def organisation_form(organisation: dict[str, Any] | None = None) -> OrganisationForm:
    """The coordinator's form, filled from ``organisation`` when editing."""
    if organisation is None:
        return OrganisationForm()
    people = list(organisation["contacts"])
    people += [{"name": "", "email": "", "role": ""}] * max(1, CONTACT_ROWS - len(people))
    data = {
        "name": organisation["name"],
        "type": organisation["type"],
        "key": organisation["key"],
        "org_number": organisation["org_number"] or "",
        "description": organisation["description"],
        "parent_id": organisation["parent_id"] or 0,
        "approved_research": organisation["approved_research"],
        "keywords": ", ".join(organisation["keywords"]),
        "thematic_areas": organisation["thematic_areas"],
        "contacts": people,
    }
    return OrganisationForm(data=data)


class MergeForm(FlaskForm):
    """Merge this organisation into the survivor chosen."""

    into = SelectField(
        _l("Merge into"), coerce=int, validators=[DataRequired(_l("Choose the organisation."))]
    )


class FilterForm(Form):
    """The list's search and filters (a GET form: no CSRF)."""

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    type = SelectField(
        _l("Type"), choices=lambda: options([("", _l("All")), *vocabulary("organisation_type")])
    )
    area = SelectField(
        _l("Thematic area"),
        choices=lambda: options([("", _l("All")), *vocabulary("thematic_area")]),
    )
    approved = BooleanField(_l("Approved research organisations only"))
    inactive = BooleanField(_l("Show deactivated"))
    waiting = BooleanField(_l("Awaiting confirmation only"))
