"""Logging in and out, and choosing the page language."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
bp.enable_openapi = False  # type: ignore[attr-defined]  # pages, not API (see helpers)

from webapp.auth import sso, views  # noqa: E402,F401  (registers the routes)
