"""Open a workflow from settings, and bring a database up to date (``samspill init``)."""

from __future__ import annotations

from workflow.definitions import load_definitions
from workflow.runtime import Settings, Workflow
from workflow.store.catalog import Registration, register_definitions
from workflow.store.db import Database
from workflow.store.migrate import upgrade


def open_workflow(settings: Settings, *, database: Database | None = None) -> Workflow:
    """A :class:`Workflow` on the configured database with its registered definitions."""
    wf = Workflow(
        database or settings.database(), base_url=settings.base_url, zone=settings.timezone
    )
    wf.reload_definitions()
    return wf


def initialise(wf: Workflow, settings: Settings) -> list[Registration]:
    """Migrate the schema to the newest version and register the definition files.

    Idempotent: unchanged definitions are left alone.

    Raises:
        DefinitionError: a file is invalid.
        DefinitionConflict: a changed file kept a version projects use.
    """
    upgrade(wf.db.engine)
    loaded = load_definitions([settings.definitions])
    with wf.db.write() as conn:
        registered = register_definitions(conn, loaded, now=wf.clock())
    wf.reload_definitions()
    return registered
