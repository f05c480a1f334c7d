"""The registered definition versions: stored by ``samspill init``, read by the engine.

Files in ``definitions/`` are the source; the database keeps every version that was ever
registered, so a project runs on the version it started on after the file has moved on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from workflow.definitions import Definition, content_hash, parse_definition
from workflow.errors import DefinitionConflict, NotFound
from workflow.store.tables import definition_versions as _versions
from workflow.store.tables import projects as _projects


@lru_cache(maxsize=256)
def _parse(text: str, name: str) -> Definition:
    return parse_definition(text, name)


@dataclass(frozen=True)
class Registration:
    """What registering one definition file did: ``added``, ``updated`` or ``unchanged``."""

    key: str
    version: int
    outcome: str


def register_definitions(
    conn: Connection, loaded: list[tuple[Definition, str]], *, now: datetime
) -> list[Registration]:
    """Store each definition version; refuse a changed file whose version projects use.

    Raises:
        DefinitionConflict: naming the key and version and what to do.
    """
    results = []
    for definition, text in loaded:
        key, version, digest = definition.key, definition.version, content_hash(text)
        stored = conn.execute(
            select(_versions.c.content_hash).where(
                _versions.c.key == key, _versions.c.version == version
            )
        ).scalar_one_or_none()
        if stored is None:
            conn.execute(
                insert(_versions).values(
                    key=key, version=version, content_hash=digest, source=text, registered_at=now
                )
            )
            results.append(Registration(key, version, "added"))
        elif stored == digest:
            results.append(Registration(key, version, "unchanged"))
        else:
            used = conn.execute(
                select(func.count())
                .select_from(_projects)
                .where(_projects.c.definition_key == key, _projects.c.definition_version == version)
            ).scalar_one()
            if used:
                raise DefinitionConflict(
                    "version_in_use",
                    definition=key,
                    version=version,
                    projects=used,
                    next=version + 1,
                )
            conn.execute(
                update(_versions)
                .where(_versions.c.key == key, _versions.c.version == version)
                .values(content_hash=digest, source=text, registered_at=now)
            )
            results.append(Registration(key, version, "updated"))
    return results


class Catalog:
    """Definition versions as stored in the database, parsed once and cached."""

    def __init__(self) -> None:
        self._by_version: dict[tuple[str, int], Definition] = {}
        self._latest: dict[str, Definition] = {}

    def load(self, conn: Connection) -> Catalog:
        """(Re)read every stored version from the database."""
        rows = conn.execute(
            select(_versions.c.key, _versions.c.version, _versions.c.source).order_by(
                _versions.c.key, _versions.c.version
            )
        ).all()
        self._by_version = {(r.key, r.version): _parse(r.source, f"{r.key}.yaml") for r in rows}
        self._latest = {k: d for (k, _), d in self._by_version.items()}
        return self

    def get(self, key: str, version: int | None = None) -> Definition:
        """The definition ``key`` at ``version`` (default: its newest version).

        Raises:
            NotFound: no such definition or version is registered.
        """
        found = self._latest.get(key) if version is None else self._by_version.get((key, version))
        if found is None:
            if version is None:
                raise NotFound("no_definition", definition=key)
            raise NotFound("no_definition_version", definition=key, version=version)
        return found

    def of(self, project: Mapping[Any, Any]) -> Definition:
        """The definition version a project row (or dict) runs on."""
        return self.get(project["definition_key"], project["definition_version"])

    def latest(self) -> list[Definition]:
        """The newest version of every definition, by key."""
        return [self._latest[k] for k in sorted(self._latest)]

    def versions(self) -> list[tuple[tuple[str, int], Definition]]:
        """Every registered (key, version) with its definition."""
        return sorted(self._by_version.items())

    def keys(self) -> list[str]:
        """Every registered definition key, sorted."""
        return sorted(self._latest)
