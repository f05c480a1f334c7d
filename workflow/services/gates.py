"""Use cases around a gate: an owner submits, a gatekeeper resumes a parked project.

Deciding is in :mod:`workflow.services.decisions`. Who may vote is
:mod:`workflow.domain.voting`; what the requirements are checked against is
:mod:`workflow.requirements.facts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, insert, select

from workflow.definitions import ANY_GROUP, Definition, Gate
from workflow.domain.lifecycle import IN_REVIEW, ON_HOLD, StageStatus, check_status, fire_status
from workflow.domain.voting import may_vote
from workflow.errors import GateNotSatisfied, InvalidInput, PermissionDenied
from workflow.jobs.mail.texts import render
from workflow.requirements.evaluate import unmet
from workflow.requirements.facts import facts_of
from workflow.runtime import Actor, Workflow
from workflow.store.pipeline import (
    Change,
    apply_change,
    lock_project,
    queue_mail,
    require_owner,
    users,
)
from workflow.store.tables import GateReview, table

reviews = table(GateReview)


def choose_gate(spec: Definition, stage: str, gate_key: str | None) -> Gate:
    """The gate of ``stage`` to submit to: the one named, or the stage's only gate."""
    gates = spec.gates_from(stage)
    if gate_key is None:
        if len(gates) == 1:
            return gates[0]
        raise InvalidInput({"gate": f"choose one of {', '.join(g.key for g in gates)}"})
    for gate in gates:
        if gate.key == gate_key:
            return gate
    raise InvalidInput({"gate": f"stage '{stage}' has no gate '{gate_key}'"})


def submit_project(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    gate: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Submit the project to a gate of its stage for the gatekeepers' decision.

    Returns the project's new version.

    Raises:
        GateNotSatisfied: with every unmet requirement.
        NotFound, PermissionDenied, StaleVersion, TransitionNotAllowed, InvalidInput.
    """
    with wf.db.write() as conn:
        row = lock_project(conn, project_id, expected_version)
        require_owner(row, actor.id)
        check_status(row["status"], "submit", project_id=project_id)
        spec = wf.catalog.of(row)
        chosen = choose_gate(spec, row["stage"], gate)
        missing = unmet(spec, chosen, facts_of(conn, row))
        if missing:
            raise GateNotSatisfied(chosen.key, missing)
        now = wf.clock()
        review_id: int = conn.execute(
            insert(reviews)
            .values(
                project_id=project_id,
                gate_key=chosen.key,
                stage=row["stage"],
                submitted_by=actor.id,
                submitted_at=now,
            )
            .returning(reviews.c.id)
        ).scalar_one()
        version = apply_change(
            conn,
            row,
            Change(
                "submitted",
                {
                    "status": IN_REVIEW,
                    "pending_gate": chosen.key,
                    "pending_review_id": review_id,
                },
                {"gate": chosen.key, "review_id": review_id},
                from_status=row["status"],
                to_status=IN_REVIEW,
            ),
            definition=spec,
            actor_id=actor.id,
            now=now,
        )
        _notify_gatekeepers(wf, conn, row, chosen, owner_name=actor.name)
        return version


def _notify_gatekeepers(
    wf: Workflow, conn: Connection, row: Mapping[str, Any], gate: Gate, *, owner_name: str
) -> None:
    query = select(users.c.id, users.c.email, users.c.language).where(
        users.c.role == "gatekeeper", users.c.is_active.is_(True), users.c.id != row["owner_id"]
    )
    if ANY_GROUP not in gate.quorum:
        query = query.where(users.c.gatekeeper_group.in_(list(gate.quorum)))
    mail = []
    for user in conn.execute(query):
        subject, body = render(
            "submitted",
            user.language,
            url=wf.project_url(row["id"]),
            title=row["title"],
            owner=owner_name,
            gate=gate.title.get(user.language),
        )
        mail.append(
            {
                "recipient_id": user.id,
                "recipient_email": user.email,
                "language": user.language,
                "subject": subject,
                "body": body,
                "project_id": row["id"],
            }
        )
    queue_mail(conn, mail, now=wf.clock())


def resume_project(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    expected_version: int | None = None,
) -> int:
    """Bring an on-hold project back to active work in its stage (a gatekeeper of its gate).

    Returns the project's new version.
    """
    with wf.db.write() as conn:
        row = lock_project(conn, project_id, expected_version)
        check_status(row["status"], "resume", project_id=project_id)
        if row["owner_id"] == actor.id:
            raise PermissionDenied("an owner cannot resume their own project; a gatekeeper does")
        spec = wf.catalog.of(row)
        gate = spec.gate(row["pending_gate"]) if row["pending_gate"] else None
        if gate is None or not may_vote(actor, gate):
            raise PermissionDenied("only a gatekeeper of the gate that parked it may resume it")
        state = StageStatus(stage=row["stage"], status=row["status"])
        fire_status(state, "resume", project_id=project_id)
        now = wf.clock()
        return apply_change(
            conn,
            row,
            Change(
                "resumed",
                {
                    "status": state.status,
                    "pending_gate": None,
                },
                {"gate": gate.key},
                from_status=ON_HOLD,
                to_status=state.status,
            ),
            definition=spec,
            actor_id=actor.id,
            now=now,
        )
