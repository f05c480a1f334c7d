"""``/open``, ``/open.json`` and ``/open.csv``: what a coordinator has published, for anyone.

Nothing here depends on who asks, so an anonymous answer may be cached by the public
(``Cache-Control: public``). A signed-in visitor's page carries their own header and stays
``no-store`` (:mod:`webapp.headers`). The language comes from ``?lang=nb|en`` (plain links,
no form: a cached page must hold no per-visitor CSRF token), else the visitor's own.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import force_locale  # type: ignore[attr-defined]
from flask_login import current_user

import workflow
from webapp.extensions import current_workflow, select_locale
from webapp.open import bp

PER_PAGE = 20
#: how long the public (and shared caches) may keep an anonymous answer
MAX_AGE = 300


def _language() -> str:
    chosen = request.args.get("lang")
    if chosen is None:
        return select_locale()
    if chosen not in workflow.LANGUAGES:
        abort(400, description="lang: nb or en")
    return chosen


def _page() -> int:
    raw = request.args.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw[:8]) <= 1_000_000:
        abort(400, description="page: a whole number from 1")
    return int(raw)


def _public(response: Response) -> Response:
    if not current_user.is_authenticated:
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    return response


@bp.get("/open")
def index() -> Response:
    """The published projects, a page at a time, in the chosen language."""
    language, page = _language(), _page()
    result = workflow.open_projects(current_workflow(), page=page, per_page=PER_PAGE)
    with force_locale(language):
        body = render_template("open/index.html", result=result, open_lang=language)
    return _public(Response(body, mimetype="text/html"))


def _jsonable(item: dict[str, Any]) -> dict[str, Any]:
    at = item["published_at"]
    return {**item, "published_at": at.isoformat() if at else None}


@bp.get("/open.json")
def as_json() -> Response:
    """The published projects as JSON, paginated (``page``, ``per_page`` up to 100)."""
    page = _page()
    raw = request.args.get("per_page", str(PER_PAGE))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw[:8]) <= 100:
        abort(400, description="per_page: a whole number from 1 to 100")
    result = workflow.open_projects(current_workflow(), page=page, per_page=int(raw))
    body = {
        "items": [_jsonable(i) for i in result.items],
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "total": result.total,
    }
    text = json.dumps(body, ensure_ascii=False)
    return _public(Response(text, mimetype="application/json"))


@bp.get("/open.csv")
def as_csv() -> Response:
    """Every published project as CSV, streamed, in the chosen language."""
    language = _language()
    wf = current_workflow()

    def lines() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        for row in workflow.open_rows(wf, language=language):
            writer.writerow(row)
            yield out.getvalue()
            out.seek(0)
            out.truncate()

    response = Response(
        lines(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="samspill-apne-prosjekter.csv"'},
    )
    return _public(response)
