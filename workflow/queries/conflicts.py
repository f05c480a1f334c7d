"""Whether a gatekeeper has a conflict of interest on a project now (SPEC §2c), for pages.

The vote itself checks again, in its own transaction (:func:`workflow.decide_gate`); this
lets the review page say why the gatekeeper may not vote instead of offering the form.
"""

from __future__ import annotations

from sqlalchemy import select

from workflow.domain.voting import conflict_in
from workflow.errors import NotFound, Problem
from workflow.runtime import Actor, Workflow
from workflow.store.conflicts import chain_of
from workflow.store.fastsql import Sql
from workflow.store.tables import projects


def conflict_of_interest(wf: Workflow, actor: Actor, project_id: int) -> Problem | None:
    """Why ``actor`` may not vote at the gate the project waits at, for a conflict of
    interest: ``conflict_of_interest`` (a partner) or ``conflict_of_interest_owner`` (the
    owner's organisation), naming the organisation; None when there is no conflict, the gate
    allows it, or the project waits at no gate.

    Raises:
        NotFound: there is no such project.
    """
    with wf.db.read() as conn:
        row = conn.execute(select(projects).where(projects.c.id == project_id)).mappings().first()
        if row is None:
            raise NotFound("no_project", project=project_id)
        if not row["pending_gate"]:
            return None
        gate = wf.catalog.of(row).gate(row["pending_gate"])
        if not gate.blocks_conflicts:
            return None
        return conflict_in(gate, chain_of(Sql.of(conn), actor.id, project_id))
