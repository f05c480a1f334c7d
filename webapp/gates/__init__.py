"""The gatekeeper's pages: the queue, the gate review with its decision, resuming."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("gates", __name__)

from webapp.gates import views  # noqa: E402,F401  (registers the routes)
