"""The admin's pages: the outbox (mail sent, waiting or failed), the scheduler's job runs,
and the thematic areas."""

from webapp.helpers import ui_blueprint

bp = ui_blueprint("admin", __name__)

# the modules register their routes on bp (areas: governance, the thematic areas)
from webapp.admin import areas, views  # noqa: E402,F401
