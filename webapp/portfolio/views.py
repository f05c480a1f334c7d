"""The portfolio page (coordinators and admins)."""

from __future__ import annotations

import io

from flask import Response, abort, render_template, request

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import actor, page_arg, require
from webapp.i18n import WORDS, language
from webapp.portfolio import bp
from webapp.portfolio.forms import FilterForm
from webapp.portfolio.funnel import area_rows, funnel_rows

PER_PAGE = 25


@bp.get("/portfolio")
def portfolio() -> str:
    """Funnel by definition and stage, stalled projects, and the filtered project list."""
    require(actor().is_coordinator)
    wf = current_workflow()
    form = FilterForm(request.args).offer(wf.catalog.latest())
    filters = form.filters()
    page = workflow.list_projects(wf, filters, page=page_arg(), per_page=PER_PAGE)
    stalled = workflow.stalled_projects(wf, as_of=wf.clock(), per_page=10, filters=filters)
    funnel = funnel_rows(wf.catalog.latest(), workflow.funnel(wf, filters))
    areas = area_rows(workflow.area_counts(wf, filters), WORDS["thematic_area"])
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "portfolio/portfolio.html",
        form=form,
        page=page,
        stalled=stalled,
        funnel=funnel,
        areas=areas,
        args=args,
        invalid=form.invalid(),
    )


#: the export's formats: (mimetype, binary)
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.get("/portfolio/export.<fmt>")
def export(fmt: str) -> Response:
    """The filtered portfolio as CSV or XLSX (the rows of ``samspill export``)."""
    require(actor().is_coordinator)
    if fmt not in EXPORTS:
        abort(404)
    from webapp.cli.export import write_csv, write_xlsx

    wf = current_workflow()
    form = FilterForm(request.args).offer(wf.catalog.latest())
    rows = workflow.portfolio_rows(wf, form.filters(), language=language())
    if fmt == "csv":
        text = io.StringIO()
        write_csv(rows, text)
        body: bytes = text.getvalue().encode("utf-8-sig")  # Excel reads the BOM as UTF-8
    else:
        binary = io.BytesIO()
        write_xlsx(rows, binary)
        body = binary.getvalue()
    name = "portefolje" if language() == "nb" else "portfolio"
    return Response(
        body,
        mimetype=EXPORTS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
