"""Forms of the project pages; the details form is generated from the definition's fields.

Each definition field becomes a WTForms field of a matching type, named ``field_<key>``
(so no definition key can clash with a form attribute). WTForms checks the shape of each
value; the engine then validates and normalises it, and its complaints land on the same
fields (:func:`webapp.helpers.run_form`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # see helpers
from wtforms.fields.core import Field
from wtforms.validators import (
    URL,
    DataRequired,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

import workflow
from webapp.extensions import current_workflow
from webapp.guards import parse_id, project_version
from webapp.helpers import options
from webapp.i18n import language, localized, vocabulary, word_key
from webapp.validators import Length
from workflow import Definition

#: digits with spaces between groups and up to two decimals; each quantifier is followed by a
#: character it cannot match, so a failing match never backtracks (SPEC §7)
MONEY = r"^\s*[0-9][0-9\s]*(?:[.,][0-9]{1,2}\s*)?$"
MAX_MONEY_TEXT = 40


class Bounded(Length):
    """``Length(max=…)`` that stops the chain, so no later validator parses an overlong value."""

    def __call__(self, form: Any, field: Any) -> None:
        try:
            super().__call__(form, field)
        except ValidationError as exc:
            raise StopValidation(str(exc)) from None


class Day(DateField):
    """A date field that says in our words what a date looks like (not the library's)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the day; a value that is not one is refused with an example."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Must be a date, e.g. 2027-03-01."))) from None


def not_negative(_form: Any, field: Any) -> None:
    """An amount with a leading minus is negative, not malformed: say so (and stop there)."""
    if isinstance(field.data, str) and field.data.strip().startswith("-"):
        raise StopValidation(str(_l("Must not be negative.")))


def _area_choices(current: str | None = None) -> list[SelectChoice]:
    """The thematic areas valid today (and the project's own, even when it has ended)."""
    wf = current_workflow()
    every = {a["key"]: a for a in workflow.list_thematic_areas(wf)}
    if not every:  # a database without the table's rows: the built-in areas
        return options([("", _l("— none —")), *vocabulary("thematic_area")])
    valid = [a["key"] for a in workflow.list_thematic_areas(wf, valid_on=wf.today())]
    if current and current not in valid:
        valid.append(current)
    nb = language() == "nb"
    pairs = [
        (k, (every[k]["label_nb"] if nb else every[k]["label_en"]) if k in every else k)
        for k in valid
    ]
    return options([("", _l("— none —")), *pairs])


def definition_field(spec: Any) -> Field:
    """The WTForms field for one definition field, by its type.

    At run time an unbound field (``Field.__new__`` defers binding to the form class); mypy
    ignores a ``__new__`` that returns another type, so it sees a :class:`Field`.
    """
    label = localized(spec.label)
    help_text = localized(spec.help) if spec.help else ""
    common: dict[str, Any] = {"label": label, "description": help_text}
    optional = [Optional()]
    if spec.type == "string":
        return StringField(validators=[*optional, Length(max=200)], **common)
    if spec.type == "text":
        return TextAreaField(
            validators=[*optional, Length(max=20_000)], render_kw={"rows": 4}, **common
        )
    if spec.type == "integer":
        return IntegerField(validators=optional, **common)
    if spec.type == "money":
        message = _l("Must be an amount in NOK, e.g. 1500000 or 1500000,50.")
        return StringField(
            validators=[
                *optional,
                Bounded(max=MAX_MONEY_TEXT),
                not_negative,
                Regexp(MONEY, message=message),
            ],
            render_kw={"inputmode": "decimal"},
            **common,
        )
    if spec.type == "date":
        return Day(validators=optional, **common)
    if spec.type == "boolean":
        return BooleanField(**common)
    if spec.type == "url":
        message = _l("Must be a web address starting with http:// or https://.")
        return URLField(validators=[*optional, Bounded(max=2_000), URL(message=message)], **common)
    choices = options(
        [("", _l("— choose —")), *((c.key, localized(c.label)) for c in spec.choices or ())]
    )
    return SelectField(choices=choices, validators=optional, **common)


class DetailsForm(FlaskForm):
    """Title, summary and thematic area; subclasses add the definition's fields."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the project a title.")), Length(max=200)],
        description=_l("A short name others will recognise."),
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=10_000)],
        description=_l("Two or three sentences: the need, the idea and who it is for."),
        render_kw={"rows": 4},
    )
    # choices: the areas valid today, set by details_form
    thematic_area = SelectField(_l("Thematic area"), choices=[], validators=[Optional()])
    version = HiddenField(validators=[project_version])

    definition_keys: tuple[str, ...] = ()
    gate_keys: tuple[str, ...] = ()
    other_keys: tuple[str, ...] = ()

    def more_open(self) -> bool:
        """Whether a field under "More fields" has an error (then the section is open)."""
        return any(self[f"field_{key}"].errors for key in self.other_keys)

    def values(self) -> dict[str, Any]:
        """What the engine's create and update take from this form."""
        return {
            "title": self.title.data,
            "summary": self.summary.data or "",
            "thematic_area": self.thematic_area.data or "",
            "fields": self.engine_fields(),
        }

    def expected_version(self) -> int | None:
        """The project version the form was filled on (None if missing)."""
        return parse_id(str(self.version.data or ""))

    def engine_fields(self) -> dict[str, Any]:
        """The definition field values as the engine takes them (blank clears a field)."""
        values: dict[str, Any] = {}
        for key in self.definition_keys:
            value = self[f"field_{key}"].data
            if isinstance(value, date):
                value = value.isoformat()
            # an unticked box clears the field: "not yes" rather than a stored no
            values[key] = "" if value is None or value is False else value
        return values


def gate_field_keys(spec: Definition, stage: str) -> tuple[str, ...]:
    """The fields the gates out of ``stage`` name (``requires.fields`` and both sides of
    ``requires.compare``), in the definition's order: what matters in this stage."""
    named: set[str] = set()
    for gate in spec.gates_from(stage):
        named.update(gate.requires.fields)
        for c in gate.requires.compare:
            named.update(k for k in (c.field, c.other) if k)
    return tuple(f.key for f in spec.fields if f.key in named)


def details_form(spec: Definition, project: dict[str, Any] | None = None) -> DetailsForm:
    """A :class:`DetailsForm` with ``spec``'s fields, filled from ``project`` when given.

    ``gate_keys``: the fields the next gate needs (:func:`gate_field_keys`), shown first and
    marked (their ``needed`` flag); ``other_keys`` the rest, shown under "More fields"."""
    attrs: dict[str, Any] = {f"field_{f.key}": definition_field(f) for f in spec.fields}
    attrs["definition_keys"] = tuple(f.key for f in spec.fields)
    needed = gate_field_keys(spec, project["stage"] if project else spec.first_stage.key)
    attrs["gate_keys"] = needed
    attrs["other_keys"] = tuple(f.key for f in spec.fields if f.key not in needed)
    form = _details_form(spec, project, attrs)
    for key in needed:
        form[f"field_{key}"].flags.needed = True
    form.title.flags.mandatory = True  # the one field a project cannot be without
    return form


def _details_form(
    spec: Definition, project: dict[str, Any] | None, attrs: dict[str, Any]
) -> DetailsForm:
    form_class = cast("type[DetailsForm]", type("ProjectDetailsForm", (DetailsForm,), attrs))
    if project is None:
        form = form_class()
        form.thematic_area.choices = _area_choices()
        return form
    data = {
        "title": project["title"],
        "summary": project["summary"],
        "thematic_area": project["thematic_area"] or "",
        "version": project["version"],
    }
    for f in spec.fields:
        value = project["fields"].get(f.key)
        if f.type == "date" and value:
            value = date.fromisoformat(value)
        data[f"field_{f.key}"] = value
    form = form_class(data=data)
    form.thematic_area.choices = _area_choices(project["thematic_area"])
    return form


class ChecklistForm(FlaskForm):
    """Tick or untick one checklist item."""

    done = HiddenField(validators=[DataRequired()])


class PartnerForm(FlaskForm):
    """Add an organisation as a partner, in a role."""

    organisation_id = SelectField(
        _l("Organisation"), coerce=int, validators=[DataRequired(_l("Choose an organisation."))]
    )
    role = StringField(
        _l("Role in the project"),
        validators=[Optional(), Length(max=100)],
        description=_l("For example research partner, user representative or supplier."),
    )

    def set_organisations(self, organisations: list[dict[str, Any]]) -> PartnerForm:
        """Offer ``organisations`` (id, name, type) in the select."""
        self.organisation_id.choices = options(
            [(0, _l("— choose —"))]
            + [
                (o["id"], f"{o['name']} ({word_key('organisation_type', o['type'])}){_waiting(o)}")
                for o in organisations
            ]
        )
        return self


class PartnerStatusForm(FlaskForm):
    """How far a partner has come: invited, confirmed, letter of intent."""

    status = SelectField(
        _l("Status"), choices=options(vocabulary("partner_status")), validators=[DataRequired()]
    )


AWAITING = _l("awaiting confirmation")


def _waiting(organisation: dict[str, Any]) -> str:
    """A note on a proposed organisation no coordinator has confirmed yet."""
    return "" if organisation.get("confirmed", True) else f" – {AWAITING}"


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (remove a partner, resume, …)."""


class SubmitForm(FlaskForm):
    """Submit the project to one of its stage's gates."""

    gate = HiddenField(validators=[DataRequired()])
