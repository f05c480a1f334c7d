"""Full-text search over projects and lessons learned, and the lessons by thematic area and
collaboration form (issue 13)."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("search", __name__)

from webapp.search import views  # noqa: E402,F401  (registers the routes)
