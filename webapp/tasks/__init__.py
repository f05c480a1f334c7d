"""My tasks: the landing page of every signed-in user, and the count in the menu."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("tasks", __name__)

from webapp.tasks import views  # noqa: E402,F401  (registers the routes)
