"""Forms of the calls' pages. WTForms checks the shape of each value; the engine checks the
rules (deadline after opening, start window, amounts) and its complaints land on the same
fields (:func:`webapp.helpers.run_form`: ``max_support_rate.public`` → the field
``max_support_rate_public``)."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, Form, IntegerField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, NumberRange, Optional

import workflow
from webapp.helpers import options
from webapp.i18n import WORDS
from webapp.projects.forms import Day
from webapp.validators import Length

#: the deadline's time of day when none is given: the Research Council's 13:00
DEFAULT_DEADLINE_TIME = time(13, 0)


class PercentField(DecimalField):
    """A percentage; a decimal comma is read like a point (``37,5``)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            valuelist = [str(valuelist[0]).replace(",", ".").replace("%", "").strip()]
        super().process_formdata(valuelist)


class CallForm(FlaskForm):
    """Every field of a call, for coordinators; one percentage and one partner count per
    organisation type (added below)."""

    funder = StringField(
        _l("Funder"), validators=[DataRequired(_l("Give the funder.")), Length(max=200)]
    )
    title_nb = StringField(
        _l("Title in Norwegian"),
        validators=[DataRequired(_l("Give the title in Norwegian.")), Length(max=200)],
    )
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=200)])
    url = StringField(
        _l("Web address"),
        validators=[Optional(), Length(max=500)],
        description=_l("The call's page at the funder, starting with https://."),
    )
    opens_on = Day(_l("Opens"), validators=[DataRequired(_l("Give the opening day."))])
    deadline = Day(_l("Deadline"), validators=[DataRequired(_l("Give the deadline's day."))])
    deadline_time = TimeField(
        _l("Deadline, time of day"),
        default=DEFAULT_DEADLINE_TIME,
        validators=[Optional()],
        description=_l("Norwegian time; the Research Council's calls close at 13:00."),
    )
    decision_expected_on = Day(_l("Decision expected"), validators=[Optional()])
    earliest_start = Day(_l("Earliest start"), validators=[Optional()])
    latest_start = Day(_l("Latest start"), validators=[Optional()])
    latest_end = Day(_l("Latest end"), validators=[Optional()])
    min_amount = IntegerField(
        _l("Smallest amount (NOK)"), validators=[Optional(), NumberRange(min=0, max=10**12)]
    )
    max_amount = IntegerField(
        _l("Largest amount (NOK)"), validators=[Optional(), NumberRange(min=0, max=10**12)]
    )
    required_attachments = StringField(
        _l("Required attachments"),
        validators=[Optional(), Length(max=1_000)],
        description=_l("Attachment keys, comma-separated, e.g. project_description, cv."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in workflow.ORGANISATION_TYPES:  # each row is labelled by its type
            self[f"max_support_rate_{kind}"].label.text = WORDS["organisation_type"][kind]
            self[f"required_partners_{kind}"].label.text = WORDS["organisation_type"][kind]

    def rate_fields(self) -> list[Any]:
        """The support-rate field of each organisation type, in the engine's order."""
        return [self[f"max_support_rate_{kind}"] for kind in workflow.ORGANISATION_TYPES]

    def partner_fields(self) -> list[Any]:
        """The required-partners field of each organisation type, in the engine's order."""
        return [self[f"required_partners_{kind}"] for kind in workflow.ORGANISATION_TYPES]

    def values(self, zone: ZoneInfo) -> dict[str, Any]:
        """What the engine's create and update take from this form; the deadline is the
        day and time given, in ``zone``."""
        rates: dict[str, float] = {}
        partners: dict[str, int] = {}
        for kind in workflow.ORGANISATION_TYPES:
            rate = self[f"max_support_rate_{kind}"].data
            if rate is not None:
                rates[kind] = float(Decimal(rate) / 100)
            count = self[f"required_partners_{kind}"].data
            if count:
                partners[kind] = count
        keys = [k.strip() for k in (self.required_attachments.data or "").split(",")]
        day = self.deadline.data
        moment = (
            None
            if day is None
            else datetime.combine(day, self.deadline_time.data or DEFAULT_DEADLINE_TIME, zone)
        )
        return {
            "funder": self.funder.data,
            "title": {"nb": self.title_nb.data or "", "en": self.title_en.data or ""},
            "url": (self.url.data or "").strip(),
            "opens_on": self.opens_on.data,
            "deadline": moment,
            "decision_expected_on": self.decision_expected_on.data,
            "earliest_start": self.earliest_start.data,
            "latest_start": self.latest_start.data,
            "latest_end": self.latest_end.data,
            "min_amount": self.min_amount.data,
            "max_amount": self.max_amount.data,
            "max_support_rate": rates,
            "required_partners": partners,
            "required_attachments": [k for k in keys if k],
        }


for _kind in workflow.ORGANISATION_TYPES:
    setattr(
        CallForm,
        f"max_support_rate_{_kind}",
        PercentField(
            _kind,
            places=None,
            validators=[Optional(), NumberRange(min=0, max=100)],
        ),
    )
    setattr(
        CallForm,
        f"required_partners_{_kind}",
        IntegerField(
            _kind,
            validators=[Optional(), NumberRange(min=0, max=100)],
        ),
    )


def call_form(call: dict[str, Any] | None, zone: ZoneInfo) -> CallForm:
    """The coordinator's form, filled from ``call`` when editing."""
    if call is None:
        return CallForm()
    deadline = call["deadline"].astimezone(zone)
    data: dict[str, Any] = {
        "funder": call["funder"],
        "title_nb": call["title"].get("nb", ""),
        "title_en": call["title"].get("en", ""),
        "url": call["url"],
        "opens_on": call["opens_on"],
        "deadline": deadline.date(),
        "deadline_time": deadline.time().replace(tzinfo=None),
        "decision_expected_on": call["decision_expected_on"],
        "earliest_start": call["earliest_start"],
        "latest_start": call["latest_start"],
        "latest_end": call["latest_end"],
        "min_amount": call["min_amount"],
        "max_amount": call["max_amount"],
        "required_attachments": ", ".join(call["required_attachments"]),
    }
    for kind, rate in call["max_support_rate"].items():
        share = Decimal(str(rate)) * 100
        whole = share == share.to_integral_value()
        data[f"max_support_rate_{kind}"] = int(share) if whole else share.normalize()
    for kind, count in call["required_partners"].items():
        data[f"required_partners_{kind}"] = count
    return CallForm(data=data)


class FilterForm(Form):
    """The list's filters (a GET form: no CSRF)."""

    phase = SelectField(
        _l("Show"),
        choices=lambda: options(
            [
                ("", _l("All calls")),
                ("open", _l("Open now")),
                ("upcoming", _l("Upcoming")),
                ("closed", _l("Closed")),
            ]
        ),
    )
    funder = StringField(_l("Funder"), validators=[Optional(), Length(max=200)])
