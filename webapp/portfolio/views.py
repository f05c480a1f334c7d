"""The portfolio page (coordinators and admins)."""

from __future__ import annotations

from flask import render_template, request

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import actor, page_arg, require
from webapp.portfolio import bp
from webapp.portfolio.forms import FilterForm
from webapp.portfolio.funnel import funnel_rows

PER_PAGE = 25


@bp.get("/portfolio")
def portfolio() -> str:
    """Funnel by definition and stage, stalled projects, and the filtered project list."""
    require(actor().is_coordinator)
    wf = current_workflow()
    form = FilterForm(request.args).offer(wf.catalog.latest())
    filters = form.filters()
    page = workflow.list_projects(wf, filters, page=page_arg(), per_page=PER_PAGE)
    stalled = workflow.stalled_projects(wf, as_of=wf.clock(), per_page=10)
    funnel = funnel_rows(wf.catalog.latest(), workflow.funnel(wf, filters))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "portfolio/portfolio.html",
        form=form,
        page=page,
        stalled=stalled,
        funnel=funnel,
        args=args,
        invalid=form.invalid(),
    )
