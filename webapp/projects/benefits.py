"""The project page's benefit realisation plan (Gevinstrealiseringsplan): the list, the
forms to add and change a benefit and to record a measurement, and per benefit a chart
drawn on the server as SVG — baseline point, target line, measurements over time — with
its data table beside it (SPEC §5; DOMAIN §6). No JavaScript.

``benefit_panel(view)`` gathers what ``projects/_benefits.html`` shows, so the project page
needs only the include. Each form is a POST making one engine call, then a flash and a
redirect back to the section; a refused value is flashed with the field's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale
from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

import workflow
from webapp.extensions import current_workflow
from webapp.guards import parse_id, project_version
from webapp.helpers import actor
from webapp.i18n import WORDS, decimal, language, word
from webapp.projects import bp
from webapp.validators import Length
from workflow import InvalidInput, ProjectView

#: the chart's drawing box and its margins (left room for the value axis, bottom for dates)
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 420, 200, 52, 12, 12, 28

#: each form field → the engine's name of it, for naming a refused value
_FIELD_WORDS = {
    "description": _l("Description"),
    "type": _l("Benefit type"),
    "chain_link": _l("Link in the results chain"),
    "indicator": _l("Indicator"),
    "unit": _l("Unit"),
    "change_on": _l("Change takes effect"),
    "baseline.value": _l("Baseline value"),
    "baseline.on": _l("Baseline date"),
    "target.value": _l("Target value"),
    "target.on": _l("Target date"),
    "owner_id": _l("Benefit owner"),
    "preconditions": _l("Preconditions"),
    "nok_per_year": _l("NOK per year"),
    "value": _l("Measured value"),
    "measured_on": _l("Measured on"),
    "comment": _l("Comment"),
}


@dataclass(frozen=True)
class Point:
    """A point of the chart: where it is drawn and what it says."""

    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BenefitChart:
    """A benefit's line chart in a ``WIDTH`` × ``HEIGHT`` box."""

    baseline: Point | None
    target: Point | None
    #: the target value's horizontal line (y), across the plot
    target_y: float | None
    measurements: list[Point]
    polyline: str
    ticks: list[Point]
    dates: list[Point]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def decimal_formatter() -> Callable[[float], str]:
    """A one-decimal number formatter in the page language, for many numbers at once: the
    same text as :func:`webapp.i18n.decimal` (``1 234,5`` in bokmål), without Babel's
    per-call cost (a plan of 10 benefits × 20 measurements writes hundreds)."""
    sample = decimal(1234.5)  # e.g. "1 234,5" or "1,234.5"
    group, point = sample[1], sample[-2]

    def written(value: float) -> str:
        return f"{value:,.1f}".replace(",", "\x00").replace(".", point).replace("\x00", group)

    return written


def day_formatter() -> Callable[[date], str]:
    """A date formatter in the page language giving the same text as
    :func:`webapp.i18n.day` (``1. okt. 2026`` in bokmål, ``1 Oct 2026`` in English), built
    once for the many dates of a plan."""
    locale = get_locale() or Locale.parse("nb")
    months = locale.months["format"]["abbreviated"]
    dot = ". " if language() == "nb" else " "

    def written(value: date) -> str:
        return f"{value.day}{dot}{months[value.month]} {value.year}"

    return written


def _days(day: date) -> int:
    return day.toordinal()


def benefit_chart(
    item: dict[str, Any],
    written: Callable[[float], str] = decimal,
    dated_as: Callable[[date], str] | None = None,
) -> BenefitChart | None:
    """The geometry of a benefit's chart, or None when it has nothing dated to draw."""
    dated: list[tuple[date, float]] = [(m["measured_on"], m["value"]) for m in item["measurements"]]
    if item["baseline_on"] is not None and item["baseline_value"] is not None:
        dated.append((item["baseline_on"], item["baseline_value"]))
    if item["target_on"] is not None and item["target_value"] is not None:
        dated.append((item["target_on"], item["target_value"]))
    if not dated:
        return None
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    low, high = min(v for _, v in dated), max(v for _, v in dated)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    span = max(_days(last) - _days(first), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    on = dated_as or day_formatter()  # dates in the page language, as elsewhere

    def x(day: date) -> float:
        return round(LEFT + plot_w * (_days(day) - _days(first)) / span, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (high - value) / (high - low), 1)

    def point(day: date, value: float) -> Point:
        return Point(x(day), y(value), f"{written(value)} ({on(day)})")

    baseline = target = None
    if item["baseline_on"] is not None and item["baseline_value"] is not None:
        baseline = point(item["baseline_on"], item["baseline_value"])
    if item["target_on"] is not None and item["target_value"] is not None:
        target = point(item["target_on"], item["target_value"])
    target_y = y(item["target_value"]) if item["target_value"] is not None else None
    measured = [point(m["measured_on"], m["value"]) for m in item["measurements"]]
    ticks = [Point(LEFT - 6, y(v), written(v)) for v in (low + pad, (low + high) / 2, high - pad)]
    dates = [Point(x(first), HEIGHT - 8, on(first))]
    if last != first:
        dates.append(Point(x(last), HEIGHT - 8, on(last)))
    return BenefitChart(
        baseline=baseline,
        target=target,
        target_y=target_y,
        measurements=measured,
        polyline=" ".join(f"{p.x},{p.y}" for p in measured),
        ticks=ticks,
        dates=dates,
    )


class BenefitsForm(FlaskForm):
    """A form about the project's benefits, based on the version the page showed."""

    version = HiddenField(validators=[project_version])

    def expected_version(self) -> int | None:
        return parse_id(str(self.version.data)) if self.version.data else None


def _choices(vocabulary: str) -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in WORDS[vocabulary].items()]


class BenefitForm(BenefitsForm):
    """Add or change a benefit (values as text: the engine checks the numbers)."""

    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(_l("Describe the benefit.")), Length(max=5_000)],
    )
    type = SelectField(_l("Benefit type"), choices=[])
    chain_link = SelectField(_l("Link in the results chain"), choices=[])
    indicator = StringField(_l("Indicator"), validators=[Optional(), Length(max=300)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=50)])
    change_on = DateField(_l("Change takes effect"), validators=[Optional()])
    baseline_value = StringField(_l("Baseline value"), validators=[Optional(), Length(max=40)])
    baseline_on = DateField(_l("Baseline date"), validators=[Optional()])
    target_value = StringField(_l("Target value"), validators=[Optional(), Length(max=40)])
    target_on = DateField(_l("Target date"), validators=[Optional()])
    owner_email = StringField(
        _l("Benefit owner (email)"),
        validators=[Optional(), Length(max=254)],
        description=_l("A line manager who owns the benefit and records its measurements."),
    )
    preconditions = TextAreaField(_l("Preconditions"), validators=[Optional(), Length(max=5_000)])
    nok_per_year = StringField(_l("NOK per year"), validators=[Optional(), Length(max=20)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type.choices = _choices("benefit_type")
        self.chain_link.choices = _choices("chain_link")

    def values(self) -> dict[str, Any]:
        """The benefit's fields as the engine takes them."""

        def point(value: str | None, on: date | None) -> dict[str, Any] | None:
            if not (value or "").strip() and on is None:
                return None
            return {"value": (value or "").strip() or None, "on": on}

        def as_number(value: Any) -> Any:
            if value is None:
                return None
            try:
                return float(value.replace(",", "."))
            except ValueError:
                return value  # the engine names it

        baseline = point(self.baseline_value.data, self.baseline_on.data)
        target = point(self.target_value.data, self.target_on.data)
        for p in (baseline, target):
            if p is not None:
                p["value"] = as_number(p["value"])
        nok = (self.nok_per_year.data or "").replace(" ", "").strip()
        return {
            "description": self.description.data or "",
            "type": self.type.data,
            "chain_link": self.chain_link.data,
            "indicator": self.indicator.data or "",
            "unit": self.unit.data or "",
            "change_on": self.change_on.data,
            "baseline": baseline,
            "target": target,
            "preconditions": self.preconditions.data or "",
            "nok_per_year": int(nok) if nok.isdigit() else (nok or None),
        }


class MeasurementForm(BenefitsForm):
    """Record a measured value of a benefit."""

    value = StringField(
        _l("Measured value"),
        validators=[DataRequired(_l("Give the measured value.")), Length(max=40)],
    )
    measured_on = DateField(
        _l("Measured on"), validators=[DataRequired(_l("Choose the day it was measured."))]
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), Length(max=5_000)],
        description=_l("Needed when a measurement on or after the target date misses the target."),
    )


def _back(pid: int, bid: int | None = None) -> Response:
    anchor = f"benefit-{bid}" if bid else "benefits"
    return redirect(url_for("projects.show", pid=pid, _anchor=anchor), 303)


def _flash_form(form: FlaskForm) -> None:
    for name, errors in form.errors.items():
        label = getattr(form, name).label.text if hasattr(form, name) else name
        flash(f"{label}: " + " ".join(str(e) for e in errors), "error")


def _flash_refusal(error: InvalidInput) -> None:
    """Each refused field by its name, then what is wrong with it."""
    for name, problem in error.fields.items():
        flash(f"{_FIELD_WORDS.get(name, name)}: {word(problem)}", "error")


def _owner_id(email: str | None) -> int | str | None:
    """The user id of the benefit owner's email; ``"unknown"`` for an unknown one."""
    if not (email or "").strip():
        return None
    try:
        return workflow.get_actor(current_workflow(), email=(email or "").strip()).id
    except workflow.NotFound:
        return "unknown"


def _edit_form(item: dict[str, Any], version: int) -> BenefitForm:
    """The form to change ``item``, filled in with its values."""
    return BenefitForm(
        formdata=None,
        prefix=f"b{item['id']}-",
        version=version,
        description=item["description"],
        type=item["type"],
        chain_link=item["chain_link"],
        indicator=item["indicator"],
        unit=item["unit"],
        change_on=item["change_on"],
        baseline_value="" if item["baseline_value"] is None else decimal(item["baseline_value"]),
        baseline_on=item["baseline_on"],
        target_value="" if item["target_value"] is None else decimal(item["target_value"]),
        target_on=item["target_on"],
        preconditions=item["preconditions"],
        nok_per_year="" if item["nok_per_year"] is None else str(item["nok_per_year"]),
    )


@bp.app_template_global()
def benefit_panel(view: ProjectView) -> dict[str, Any]:
    """What the benefit realisation section of the project page shows, and its forms.

    The form to change a benefit is drawn only for the one asked for (``?edit_benefit=``),
    and numbers are written with one formatter, so a plan of many benefits and
    measurements stays quick to draw.
    """
    p = view.project
    plan = workflow.project_benefits(current_workflow(), p["id"])
    me = actor()
    owner = p["owner_id"] == me.id
    editing = parse_id(request.args.get("edit_benefit", ""))
    written, dated = decimal_formatter(), day_formatter()
    items = []
    for item in plan.items:
        mine = owner or item["owner_id"] == me.id
        may_edit = mine and p["status"] == "active"
        for m in item["measurements"]:
            m["text"], m["day"] = written(m["value"]), dated(m["measured_on"])
        for key in ("baseline_value", "target_value"):
            value = item[key]
            item[key.replace("_value", "_text")] = None if value is None else written(value)
        for key in ("baseline_on", "target_on", "change_on"):
            item[key.replace("_on", "_day")] = dated(item[key]) if item[key] else ""
        # the data table: baseline, measurements and target in date order (note: the row's role)
        rows = [(m["measured_on"], m["day"], m["text"], m["comment"]) for m in item["measurements"]]
        if item["baseline_text"] is not None and item["baseline_on"]:
            rows.append(
                (item["baseline_on"], item["baseline_day"], item["baseline_text"], _("Baseline"))
            )
        if item["target_text"] is not None and item["target_on"]:
            rows.append((item["target_on"], item["target_day"], item["target_text"], _("Target")))
        item["rows"] = sorted(rows, key=lambda r: r[0])
        items.append(
            {
                "b": item,
                "chart": benefit_chart(item, written, dated),
                "may_edit": may_edit,
                "may_measure": mine and p["status"] in ("active", "completed"),
                "edit_form": _edit_form(item, plan.version)
                if may_edit and editing == item["id"]
                else None,
            }
        )
    return {
        "plan": plan,
        "benefits": items,
        "type_label": WORDS["benefit_type"],
        "link_label": WORDS["chain_link"],
        "may_add": owner and p["status"] == "active",
        "add_form": BenefitForm(formdata=None, prefix="new-", version=plan.version)
        if owner and p["status"] == "active"
        else None,
        "measure_form": MeasurementForm(formdata=None, version=plan.version),
    }


def _with_owner(form: BenefitForm, values: dict[str, Any]) -> bool:
    owner_id = _owner_id(form.owner_email.data)
    if owner_id == "unknown":
        unknown = _("No user with that email.")
        flash(f"{_FIELD_WORDS['owner_id']}: {unknown}", "error")
        return False
    if owner_id is not None or (form.owner_email.data or "") != "":
        values["owner_id"] = owner_id
    return True


@bp.post("/projects/<id:pid>/benefits")
def add_benefit(pid: int) -> Response:
    """Add a benefit to the plan."""
    form = BenefitForm(prefix="new-")
    if not form.validate_on_submit():
        _flash_form(form)
        return _back(pid)
    values = form.values()
    if not _with_owner(form, values):
        return _back(pid)
    try:
        bid = workflow.add_benefit(
            current_workflow(), actor(), pid, expected_version=form.expected_version(), **values
        )
    except InvalidInput as refused:
        _flash_refusal(refused)
        return _back(pid)
    flash(_("The benefit is added to the plan."), "success")
    return _back(pid, bid)


@bp.post("/projects/<id:pid>/benefits/<id:bid>")
def edit_benefit(pid: int, bid: int) -> Response:
    """Change a benefit (an empty benefit owner field keeps the owner)."""
    form = BenefitForm(prefix=f"b{bid}-")
    if not form.validate_on_submit():
        _flash_form(form)
        return _back(pid, bid)
    values = form.values()
    if form.owner_email.data and not _with_owner(form, values):
        return _back(pid, bid)
    try:
        workflow.edit_benefit(
            current_workflow(),
            actor(),
            pid,
            bid,
            expected_version=form.expected_version(),
            **values,
        )
    except InvalidInput as refused:
        _flash_refusal(refused)
        return _back(pid, bid)
    flash(_("The benefit is changed."), "success")
    return _back(pid, bid)


@bp.post("/projects/<id:pid>/benefits/<id:bid>/measurements")
def record_measurement(pid: int, bid: int) -> Response:
    """Record a measured value of a benefit."""
    form = MeasurementForm(prefix=f"m{bid}-")
    if not form.validate_on_submit():
        _flash_form(form)
        return _back(pid, bid)
    try:
        workflow.record_measurement(
            current_workflow(),
            actor(),
            pid,
            bid,
            value=form.value.data,
            measured_on=form.measured_on.data,
            comment=form.comment.data or "",
            expected_version=form.expected_version(),
        )
    except InvalidInput as refused:
        _flash_refusal(refused)
        return _back(pid, bid)
    flash(_("The measurement is recorded."), "success")
    return _back(pid, bid)
