"""The organisation registry's pages: search, read, register, edit, merge, confirm, propose."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("organisations", __name__)

from webapp.organisations import views  # noqa: E402,F401  (registers the routes)
