"""Security headers: no framing, no sniffing, scripts only from here; nothing signed-in cached.

Pages of a signed-in user and every API answer are ``Cache-Control: no-store``, so neither
a shared proxy nor the browser's back button after logout shows them to someone else.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_login import current_user

#: inline styles are allowed for the funnel's bar widths; no inline script is
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def _secure(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    if _personal():
        response.headers["Cache-Control"] = "no-store"
    return response


def _personal() -> bool:
    """Whether the response is for a signed-in user or from the API (static files are not)."""
    if request.blueprint == "api" or g.get("api_actor") is not None:
        return True
    return request.endpoint != "static" and bool(current_user.is_authenticated)


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    app.after_request(_secure)
