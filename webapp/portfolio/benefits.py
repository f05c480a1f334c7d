"""The portfolio's planned versus realised benefits (benefit realisation): NOK per year and
counts by type, per thematic area and per collaboration form, each as a server-drawn SVG
bar chart with its table, and the projects whose benefit measurement is missing after its
target date."""

from __future__ import annotations

from typing import Any

import workflow
from webapp.extensions import current_workflow
from webapp.i18n import WORDS, localized, money
from webapp.portfolio import bp
from webapp.portfolio.funding import area_words, bar_chart


@bp.app_template_global()
def benefits_panel() -> dict[str, Any]:
    """The figures of the portfolio's «Planned and realised benefits» section."""
    wf = current_workflow()
    found = workflow.portfolio_benefits(wf)
    forms = {d.key: localized(d.title) for d in wf.catalog.latest()}

    def form_words(key: str | None) -> str:
        return forms.get(key or "", key or "–")

    series = ("planned", "realised")
    return {
        "found": found,
        "area_words": area_words,
        "form_words": form_words,
        "types": workflow.BENEFIT_TYPES,
        "type_label": WORDS["benefit_type"],
        "areas_chart": bar_chart(
            [(area_words(g.key), (g.planned_nok, g.realised_nok)) for g in found.by_area],
            series,
            money,
        ),
        "forms_chart": bar_chart(
            [(form_words(g.key), (g.planned_nok, g.realised_nok)) for g in found.by_form],
            series,
            money,
        ),
        "flagged": workflow.flagged_project_list(wf),
    }
