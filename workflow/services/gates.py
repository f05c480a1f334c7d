"""Use cases around a gate: an owner submits, a gatekeeper resumes a parked project.

Deciding is in :mod:`workflow.services.decisions`. Who may vote is
:mod:`workflow.domain.voting`; what the requirements are checked against is
:mod:`workflow.requirements.facts`.
"""

from __future__ import annotations

from workflow.definitions import ANY_GROUP, Definition, Gate
from workflow.domain.lifecycle import check_status
from workflow.domain.voting import may_vote
from workflow.errors import GateNotSatisfied, InvalidInput, PermissionDenied, Problem
from workflow.jobs.mail.texts import render
from workflow.requirements.evaluate import unmet
from workflow.requirements.facts import facts_of
from workflow.runtime import Actor, Workflow
from workflow.store import pipeline
from workflow.store.pipeline import Mail, ProjectChange, require_owner

_INSERT_REVIEW = (
    "INSERT INTO gate_reviews (project_id, gate_key, stage, submitted_by, submitted_at) "
    "VALUES (%(project)s, %(gate)s, %(stage)s, %(by)s, %(now)s) RETURNING id"
)
_GATEKEEPERS = (
    "SELECT id, email, language, gatekeeper_group FROM users "
    "WHERE role = 'gatekeeper' AND is_active AND id != %(owner)s"
)


def choose_gate(spec: Definition, stage: str, gate_key: str | None) -> Gate:
    """The gate of ``stage`` to submit to: the one named, or the stage's only gate."""
    gates = spec.gates_from(stage)
    if gate_key is None:
        if len(gates) == 1:
            return gates[0]
        raise InvalidInput({"gate": Problem("choose_gate", {"gates": [g.key for g in gates]})})
    for gate in gates:
        if gate.key == gate_key:
            return gate
    raise InvalidInput({"gate": Problem("unknown_gate", {"stage": stage, "gate": gate_key})})


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
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        row = ch.row
        require_owner(row, actor.id)
        check_status(row["status"], "submit", project_id=project_id)
        chosen = choose_gate(ch.spec, row["stage"], gate)
        missing = unmet(ch.spec, chosen, facts_of(ch.conn, row, ch.spec, now=ch.now, zone=wf.zone))
        if missing:
            raise GateNotSatisfied(chosen.key, missing)
        review_id = int(
            ch.sql.scalar(
                _INSERT_REVIEW,
                {
                    "project": project_id,
                    "gate": chosen.key,
                    "stage": row["stage"],
                    "by": actor.id,
                    "now": ch.now,
                },
            )
        )
        ch.fire("submit")
        ch.set(pending_gate=chosen.key, pending_review_id=review_id)
        ch.record("submitted", {"gate": chosen.key, "review_id": review_id})
        ch.mail(*_gatekeeper_mail(wf, ch, chosen, owner_name=actor.name))
    return ch.version


def _gatekeeper_mail(wf: Workflow, ch: ProjectChange, gate: Gate, *, owner_name: str) -> list[Mail]:
    """A mail to each gatekeeper who may decide at ``gate``, in their language."""
    row = ch.row
    url = wf.project_url(row["id"])
    mail = []
    for user_id, email, language, group in ch.sql.all(_GATEKEEPERS, {"owner": row["owner_id"]}):
        if ANY_GROUP not in gate.quorum and group not in gate.quorum:
            continue
        subject, body = render(
            "submitted",
            language,
            url=url,
            title=row["title"],
            owner=owner_name,
            gate=gate.title.get(language),
        )
        mail.append(Mail(user_id, email, language, subject, body, row["id"]))
    return mail


def resume_project(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    expected_version: int | None = None,
    reason: str = "",
) -> int:
    """Bring an on-hold project back to active work in its stage (a gatekeeper of its gate).

    ``reason`` (why now, at most 5000 characters) goes into the audit trail.
    Returns the project's new version.
    """
    if not isinstance(reason, str) or len(reason) > 5000:
        raise InvalidInput({"reason": Problem("text_too_long", {"max": 5000})})
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        row = ch.row
        check_status(row["status"], "resume", project_id=project_id)
        if row["owner_id"] == actor.id:
            raise PermissionDenied("owner_cannot_resume", project=project_id)
        gate = ch.spec.gate(row["pending_gate"]) if row["pending_gate"] else None
        if gate is None or not may_vote(actor, gate):
            raise PermissionDenied("not_resuming_gatekeeper", project=project_id)
        ch.fire("resume")
        ch.set(pending_gate=None)
        payload = {"gate": gate.key}
        if reason.strip():
            payload["reason"] = reason.strip()
        ch.record("resumed", payload)
    return ch.version
