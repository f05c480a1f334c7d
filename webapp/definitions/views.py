"""Definition pages: read-only, for every logged-in user."""

from __future__ import annotations

from flask import render_template

from webapp.definitions import bp
from webapp.extensions import current_workflow


@bp.get("/definitions")
def index() -> str:
    """Every collaboration form with its description."""
    return render_template(
        "definitions/index.html", definitions=current_workflow().catalog.latest()
    )


@bp.get("/definitions/<key>")
def show(key: str) -> str:
    """One definition: its diagram, then each stage's guidance and checklist, and the gates."""
    spec = current_workflow().catalog.get(key)
    return render_template("definitions/show.html", spec=spec)
