"""Open a workflow from settings, and bring a database up to date (``samspill init``)."""

from __future__ import annotations

from pathlib import Path

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


def register_versions(wf: Workflow, directory: Path) -> list[Registration]:
    """Register the older definition versions kept in ``directory`` (``<key>.v<N>.yaml``,
    see ``definitions/versions/``), so projects can be placed on them; a missing directory
    registers nothing. Idempotent, as :func:`initialise`.

    Raises:
        DefinitionError: a file is invalid.
        DefinitionConflict: a changed file kept a version projects use.
    """
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    registered: list[Registration] = []
    for path in files:  # one file at a time: several versions of one key may lie there
        loaded = load_definitions([path])
        with wf.db.write() as conn:
            registered += register_definitions(conn, loaded, now=wf.clock())
    if registered:
        wf.reload_definitions()
    return registered
