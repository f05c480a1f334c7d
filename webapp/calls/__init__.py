"""The funders' calls' pages: list, read, and for coordinators register and edit."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("calls", __name__)

from webapp.calls import views  # noqa: E402,F401  (registers the routes)
