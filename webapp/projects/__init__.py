"""The owner's pages: my projects, a new idea, the project page and its forms."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("projects", __name__)

from webapp.projects import (  # noqa: E402,F401  (registers the routes)
    actions,
    applications,
    benefits,
    discussion,
    lessons,
    publishing,
    reports,
    room,
    suggestions,
    views,
)
