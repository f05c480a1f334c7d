"""The admin's pages: the outbox (mail sent, waiting or failed), the scheduler's job runs,
users, the thematic areas and a person's data (export and erasure)."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("admin", __name__)

from webapp.admin import areas, persons, users, views  # noqa: E402,F401  (registers the routes)
