"""The admin's pages: the outbox (mail sent, waiting or failed) and the scheduler's job runs."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("admin", __name__)

from webapp.admin import users, views  # noqa: E402,F401  (registers the routes)
