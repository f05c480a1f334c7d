"""The coordinator's portfolio: the funnel, stalled projects and a filtered project list."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("portfolio", __name__)

from webapp.portfolio import (  # noqa: E402,F401  (registers the routes)
    benefits,
    funding,
    reports,
    views,
)
