"""The objects every use case receives: who acts, and the workflow it acts in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from workflow.catalog import Catalog
from workflow.db import Database
from workflow.models import utcnow

ROLES = ("owner", "gatekeeper", "coordinator", "admin")
LANGUAGES = ("nb", "en")


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a use case runs.

    Every role may propose and own projects; gatekeepers also decide at gates for their
    group; coordinators also manage organisations and see the portfolio; admins also
    manage users and definitions.
    """

    id: int
    email: str
    name: str
    role: str
    group: str | None = None
    language: str = "nb"

    @property
    def is_gatekeeper(self) -> bool:
        """Whether the actor may vote at gates (for their group)."""
        return self.role == "gatekeeper"

    @property
    def is_coordinator(self) -> bool:
        """Whether the actor may manage organisations and see portfolio reports."""
        return self.role in ("coordinator", "admin")

    @property
    def is_admin(self) -> bool:
        """Whether the actor may manage users and definitions."""
        return self.role == "admin"


class Workflow:
    """A database, its registered definitions and the settings the use cases need."""

    def __init__(
        self,
        db: Database,
        *,
        base_url: str = "http://127.0.0.1:5000",
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.catalog = Catalog()

    def reload_definitions(self) -> Catalog:
        """Re-read the registered definition versions from the database."""
        with self.db.read() as conn:
            return self.catalog.load(conn)

    def project_url(self, project_id: int) -> str:
        """The web address of a project's page, for links in mail."""
        return f"{self.base_url}/projects/{project_id}"
