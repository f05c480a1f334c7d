"""The definitions: the list, and each one's diagram, stages, gates and guidance."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("definitions", __name__)

from webapp.definitions import views  # noqa: E402,F401  (registers the routes)
