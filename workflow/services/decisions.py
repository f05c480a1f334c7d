"""Deciding at a gate: the hot path of the engine (SPEC B1, B4).

A vote runs a handful of hand-written statements in one transaction on a pooled driver
connection — lock and read the project, read the open review's go votes, insert the vote,
update the project with a version check, append the audit event, queue the owner's mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflow.definitions import Definition, Gate
from workflow.domain.lifecycle import IN_REVIEW, StageStatus, fire_stage, fire_status
from workflow.domain.voting import clean_vote, may_vote, quorum_met
from workflow.errors import ConcurrentUpdate, PermissionDenied
from workflow.jobs.mail.texts import render
from workflow.runtime import Actor, Workflow
from workflow.store.fastsql import Sql
from workflow.store.pipeline import (
    Change,
    apply_change,
    check_version,
    lock_project,
    queue_mail,
    sql,
)

_GO_VOTES = (
    "SELECT voter_id, voter_group FROM votes WHERE review_id = %(review)s AND decision = 'go'"
)
_INSERT_VOTE = (
    "INSERT INTO votes (review_id, voter_id, voter_group, decision, scores, weighted_score, "
    "comment, cast_at) VALUES (%(review)s, %(voter)s, %(group)s, %(decision)s, %(scores)s, "
    "%(weighted)s, %(comment)s, %(now)s)"
)
_CLOSE_REVIEW = (
    "UPDATE gate_reviews SET decided_at = %(now)s, outcome = %(outcome)s WHERE id = %(id)s"
)


@dataclass(frozen=True)
class DecisionResult:
    """What a vote did: whether it decided the gate, and the project's state after it."""

    decided: bool
    outcome: str | None
    stage: str
    status: str
    version: int


def decide_gate(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    decision: str,
    scores: Mapping[str, int] | None = None,
    comment: str | None = None,
    expected_version: int | None = None,
) -> DecisionResult:
    """Cast a gatekeeper's vote at the gate the project awaits, deciding it when it may.

    ``go`` passes the gate once every quorum group has its go votes; ``kill``, ``hold``
    and ``recycle`` decide at once.

    Raises:
        PermissionDenied: the actor owns the project or is not in the gate's quorum.
        ConcurrentUpdate: the gate was already decided, or the actor already voted.
        InvalidInput: a wrong decision, score or missing comment.
        NotFound, StaleVersion.
    """
    with wf.db.write_sql() as conn:
        row = lock_project(conn, project_id, None)
        # a gate someone else decided first is a conflict even for a caller whose
        # version is now stale as well (SPEC §4: the loser of a race gets 409)
        if row["status"] != IN_REVIEW:
            raise ConcurrentUpdate(
                f"project {project_id} is not awaiting a decision (status '{row['status']}'); "
                "the gate was already decided"
            )
        check_version(row, expected_version)
        if row["owner_id"] == actor.id:
            raise PermissionDenied("an owner never decides on their own project")
        spec = wf.catalog.of(row)
        gate = spec.gate(row["pending_gate"])
        if not may_vote(actor, gate):
            raise PermissionDenied(
                f"only gatekeepers of {', '.join(gate.quorum)} decide at gate '{gate.key}'"
            )
        clean, weighted = clean_vote(gate, decision, scores, comment)
        review_id = row["pending_review_id"]
        runner = sql(conn)
        earlier = runner.all(_GO_VOTES, {"review": review_id})
        if any(voter_id == actor.id for voter_id, _ in earlier):
            raise ConcurrentUpdate(f"you have already voted at gate '{gate.key}'")
        now = wf.clock()
        runner.execute(
            _INSERT_VOTE,
            {
                "review": review_id,
                "voter": actor.id,
                "group": actor.group or "",
                "decision": decision,
                "scores": clean,
                "weighted": weighted,
                "comment": (comment or "").strip(),
                "now": now,
            },
        )
        vote = {
            "gate": gate.key,
            "decision": decision,
            "group": actor.group,
            "scores": clean,
            "weighted_score": weighted,
            "comment": (comment or "").strip(),
            "review_id": review_id,
        }
        decides = decision != "go" or quorum_met(gate, [*earlier, (actor.id, actor.group)])
        if not decides:
            version = apply_change(
                conn, row, Change("voted", {}, vote), definition=spec, actor_id=actor.id, now=now
            )
            return DecisionResult(False, None, row["stage"], row["status"], version)
        return _decide(wf, conn, spec, gate, row, vote, actor_id=actor.id)


_ACTIONS = {"go": "gate_passed", "kill": "killed", "hold": "held", "recycle": "recycled"}


def _decide(
    wf: Workflow,
    conn: Sql,
    spec: Definition,
    gate: Gate,
    row: Mapping[str, Any],
    vote: dict[str, Any],
    *,
    actor_id: int,
) -> DecisionResult:
    decision = vote["decision"]
    now = wf.clock()
    state = StageStatus(stage=row["stage"], status=row["status"])
    values: dict[str, Any] = {"pending_gate": None, "pending_review_id": None}
    if decision == "go":
        fire_stage(spec, state, gate.key, project_id=row["id"])
        final = spec.stage(state.stage).final
        fire_status(state, "complete" if final else "advance", project_id=row["id"])
        values.update(
            stage=state.stage,
            stage_entered_at=now,
            stage_round=row["stage_round"] + 1 if state.stage == row["stage"] else 1,
        )
        if state.stage == row["stage"]:  # a repeated phase starts with a fresh checklist
            values["checklist"] = {k: v for k, v in row["checklist"].items() if k != state.stage}
    elif decision == "recycle":
        fire_stage(spec, state, f"{gate.key}__recycle", project_id=row["id"])
        fire_status(state, "recycle", project_id=row["id"])
        if state.stage != row["stage"]:
            values.update(stage=state.stage, stage_entered_at=now, stage_round=1)
    else:
        fire_status(state, decision, project_id=row["id"])
    if decision == "hold":
        values.update(pending_gate=gate.key, pending_review_id=None)
    values["status"] = state.status
    sql(conn).execute(
        _CLOSE_REVIEW, {"now": now, "outcome": decision, "id": row["pending_review_id"]}
    )
    version = apply_change(
        conn,
        row,
        Change(
            _ACTIONS[decision],
            values,
            vote,
            from_stage=row["stage"],
            to_stage=state.stage,
            from_status=row["status"],
            to_status=state.status,
        ),
        definition=spec,
        actor_id=actor_id,
        now=now,
    )
    language = row["owner_language"]
    subject, body = render(
        "decided",
        language,
        url=wf.project_url(row["id"]),
        title=row["title"],
        gate=gate.title.get(language),
        decision=decision,
        comment=vote["comment"],
    )
    mail = {
        "recipient_id": row["owner_id"],
        "recipient_email": row["owner_email"],
        "language": language,
        "subject": subject,
        "body": body,
        "project_id": row["id"],
    }
    queue_mail(conn, [mail], now=now)
    return DecisionResult(True, decision, state.stage, state.status, version)
