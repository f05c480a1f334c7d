"""The public portfolio's decisions: a coordinator publishes a project, or takes it back
(issue #17, SPEC §5 ``/open``).

Each is a change of the project through the write pipeline — its lock, its version check
(``expected_version``, 412 when stale), an audit event (``published`` / ``unpublished``)
and the version bump — so a decision to make a project public is in its chain like any
other. Neither counts as work on the project: the stall clock keeps running.
"""

from __future__ import annotations

from workflow.errors import PermissionDenied, TransitionNotAllowed
from workflow.runtime import Actor, Workflow
from workflow.store import pipeline


def publish_project(
    wf: Workflow, actor: Actor, project_id: int, *, expected_version: int | None = None
) -> int:
    """Show the project in the public portfolio from now on. Returns its new version.

    Raises:
        PermissionDenied: the actor is no coordinator or admin.
        TransitionNotAllowed: the project is published already.
        NotFound, StaleVersion: as every change.
    """
    return _set_published(wf, actor, project_id, expected_version, published=True)


def unpublish_project(
    wf: Workflow, actor: Actor, project_id: int, *, expected_version: int | None = None
) -> int:
    """Take the project out of the public portfolio. Returns its new version.

    Raises:
        PermissionDenied: the actor is no coordinator or admin.
        TransitionNotAllowed: the project is not published.
        NotFound, StaleVersion: as every change.
    """
    return _set_published(wf, actor, project_id, expected_version, published=False)


def _set_published(
    wf: Workflow, actor: Actor, project_id: int, expected_version: int | None, *, published: bool
) -> int:
    if not actor.is_coordinator:
        raise PermissionDenied("coordinators_publish", project=project_id)
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        now_published = bool(ch.sql.scalar(_IS_PUBLISHED, {"id": project_id}))
        if now_published == published:
            code = "already_published" if published else "not_published"
            raise TransitionNotAllowed(code, project=project_id)
        ch.set(published=published, published_at=ch.now if published else None)
        ch.record("published" if published else "unpublished", {}, activity=False)
    return ch.version


_IS_PUBLISHED = "SELECT published FROM projects WHERE id = %(id)s"
