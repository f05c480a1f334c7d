"""The portfolio's applications and grants: per year and per thematic area as server-drawn
SVG bar charts (no JavaScript), each with its table, the success rate per call, and the
per-call table as a CSV download (``/portfolio/funding.csv``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response
from flask_babel import gettext as _

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import actor, require
from webapp.i18n import language, money, word_key
from webapp.portfolio import bp

#: the chart's drawing box: its width, the room kept for the values, a bar's and a label's
#: height, the space between groups
WIDTH, VALUE, BAR, LABEL, GAP = 400, 96, 16, 18, 10


@dataclass(frozen=True)
class Bar:
    """One bar: its series (CSS class), position, length and the value written after it."""

    series: str
    y: float
    width: float
    text: str
    text_x: float
    text_y: float
    height: int = BAR - 3


@dataclass(frozen=True)
class Group:
    """A label (a year, an area) written above its bars, one bar per series."""

    label: str
    label_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart's geometry in a ``WIDTH`` × ``height`` box."""

    height: float
    groups: list[Group]
    width: int = WIDTH


def bar_chart(
    groups: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[str],
    written: Callable[[Any], str] = str,
) -> Chart:
    """The bars of ``groups`` (label, one value per series), scaled to the largest value;
    each group's label above its bars, each bar's value after it."""
    largest = max((v for _, values in groups for v in values), default=0) or 1
    room = WIDTH - VALUE
    drawn, y = [], 0.0
    for label, values in groups:
        bars = []
        for i, (name, value) in enumerate(zip(series, values, strict=True)):
            top = y + LABEL + i * BAR
            length = round(room * value / largest, 1)
            bars.append(Bar(name, top, length, written(value), length + 4, top + BAR - 5))
        drawn.append(Group(label, y + LABEL - 5, bars))
        y += LABEL + len(series) * BAR + GAP
    return Chart(height=max(y, 1.0), groups=drawn)


def area_words(area: str | None) -> str:
    """A thematic area in words (projects without one: "No thematic area")."""
    return word_key("thematic_area", area) if area else _("No thematic area")


@bp.app_template_global()
def funding_panel() -> dict[str, Any]:
    """The figures of the portfolio's «Applications and grants» section, with its charts."""
    wf = current_workflow()
    funding = workflow.funding_by_call(wf)
    areas = workflow.granted_by_area(wf)
    years = bar_chart(
        [(str(y.year), (y.submitted, y.granted)) for y in funding.years],
        ("sent", "granted"),
    )
    by_area = bar_chart(
        [(area_words(a.area), (a.granted_amount,)) for a in areas],
        ("granted",),
        money,
    )
    return {
        "funding": funding,
        "areas": areas,
        "area_words": area_words,
        "years_chart": years,
        "areas_chart": by_area,
    }


@bp.get("/portfolio/funding.csv")
def funding_csv() -> Response:
    """The success rate per call as CSV (coordinators and admins)."""
    require(actor().is_coordinator)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in workflow.funding_rows(current_workflow(), language=language()):
        writer.writerow(["" if v is None else v for v in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="soknader-og-tilslag.csv"'},
    )
