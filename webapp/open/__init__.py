"""The public portfolio (SPEC §5 ``/open``): published projects, no login, as a page, JSON
and CSV."""

from flask import Blueprint

bp = Blueprint("open", __name__)
bp.enable_openapi = False  # type: ignore[attr-defined]

from webapp.open import views  # noqa: E402,F401  (registers the routes)
