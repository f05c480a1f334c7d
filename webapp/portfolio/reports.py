"""The portfolio's overdue reports: a small table, ten a page (``?reports_page=N``)."""

from __future__ import annotations

from typing import Any

from flask import request

import workflow
from webapp.extensions import current_workflow
from webapp.guards import parse_id
from webapp.i18n import WORDS
from webapp.portfolio import bp

PER_PAGE = 10


@bp.app_template_global()
def overdue_reports_panel() -> dict[str, Any]:
    """The page of overdue reports the portfolio shows, with their words."""
    page = parse_id(request.args.get("reports_page", "1")) or 1
    found = workflow.overdue_reports(current_workflow(), page=min(page, 100_000), per_page=PER_PAGE)
    return {"page": found, "kind_label": WORDS["report_kind"]}
