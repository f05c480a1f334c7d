"""``/search`` (projects and lessons, ranked, with highlighted snippets) and ``/lessons``
(lessons learned, filtered by thematic area and collaboration form). Both are GET forms: no
state changes, so no CSRF token; bad input is shown beside the field with a 400."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import page_arg
from webapp.i18n import word
from webapp.search import bp
from workflow import InvalidInput


def _marked(snippet: str) -> Markup:
    """The engine's snippet as HTML: escaped first, the matches then in ``<mark>``."""
    return Markup(workflow.snippet_html(snippet))


@bp.get("/search")
def index() -> ResponseReturnValue:
    """Search projects and lessons learned."""
    q = request.args.get("q", "")
    kind = request.args.get("kind") or None
    page = None
    errors: dict[str, str] = {}
    if q.strip() or kind:
        try:
            page = workflow.search(current_workflow(), q, kind=kind, page=page_arg(), per_page=20)
        except InvalidInput as exc:
            errors = {k: word(v) for k, v in exc.fields.items()}
    keep = {k: v for k, v in (("q", q), ("kind", kind)) if v}
    context: dict[str, Any] = {
        "q": q,
        "kind": kind,
        "page": page,
        "errors": errors,
        "keep": keep,
        "marked": _marked,
    }
    return render_template("search/index.html", **context), 400 if errors else 200


@bp.get("/lessons")
def lessons() -> str:
    """Lessons learned, newest first, by thematic area and collaboration form."""
    area = request.args.get("area") or None
    definition = request.args.get("definition") or None
    area = area if area in workflow.THEMATIC_AREAS else None
    forms = current_workflow().catalog.latest()
    definition = definition if definition in {d.key for d in forms} else None
    page = workflow.list_lessons(
        current_workflow(), thematic_area=area, definition=definition, page=page_arg()
    )
    keep = {k: v for k, v in (("area", area), ("definition", definition)) if v}
    return render_template(
        "search/lessons.html",
        page=page,
        area=area,
        definition=definition,
        forms=forms,
        keep=keep,
    )
