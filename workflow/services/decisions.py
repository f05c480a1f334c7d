"""Deciding at a gate: the hot path of the engine (SPEC B1, B4).

A vote is one :func:`workflow.store.pipeline.change` — lock and read the project, check
its version, then hand-written statements on the driver connection (at a gate that blocks
conflicts of interest, the voter's organisation chain against the partners; read the open
review's go votes, insert the vote, close the review), the machines, the audit event and
the owner's mail, all at the change's one ``now``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflow.definitions import Gate
from workflow.domain.lifecycle import IN_REVIEW
from workflow.domain.voting import clean_vote, conflict_in, may_vote, quorum_met
from workflow.errors import ConcurrentUpdate, PermissionDenied
from workflow.jobs.mail.texts import render
from workflow.runtime import Actor, Workflow
from workflow.store import pipeline
from workflow.store.conflicts import chain_of
from workflow.store.pipeline import Mail, ProjectChange, check_version

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
        PermissionDenied: the actor owns the project, is not in the gate's quorum, or has a
            conflict of interest (``conflict_of_interest``, ``conflict_of_interest_owner``:
            their organisation or one above it is a partner or the owner's, SPEC §2c).
        ConcurrentUpdate: the gate was already decided, or the actor already voted.
        InvalidInput: a wrong decision, score or missing comment.
        NotFound, StaleVersion.
    """
    with pipeline.change(wf, actor, project_id) as ch:
        row = ch.row
        # a gate someone else decided first is a conflict even for a caller whose
        # version is now stale as well (SPEC §4: the loser of a race gets 409)
        if row["status"] != IN_REVIEW:
            raise ConcurrentUpdate("already_decided", project=project_id, status=row["status"])
        check_version(row, expected_version)
        if row["owner_id"] == actor.id:
            raise PermissionDenied("owner_cannot_decide", project=project_id)
        gate = ch.spec.gate(row["pending_gate"])
        if not may_vote(actor, gate):
            raise PermissionDenied("not_in_quorum", groups=list(gate.quorum), gate=gate.key)
        if gate.blocks_conflicts:  # against the partners the project has now (SPEC §2c)
            conflict = conflict_in(gate, chain_of(ch.sql, actor.id, project_id))
            if conflict is not None:
                raise PermissionDenied(conflict.code, **conflict.params)
        clean, weighted = clean_vote(gate, decision, scores, comment)
        review_id = row["pending_review_id"]
        earlier = ch.sql.all(_GO_VOTES, {"review": review_id})
        if any(voter_id == actor.id for voter_id, _ in earlier):
            raise ConcurrentUpdate("already_voted", gate=gate.key, project=project_id)
        text = (comment or "").strip()
        ch.sql.execute(
            _INSERT_VOTE,
            {
                "review": review_id,
                "voter": actor.id,
                "group": actor.group or "",
                "decision": decision,
                "scores": clean,
                "weighted": weighted,
                "comment": text,
                "now": ch.now,
            },
        )
        vote = {
            "gate": gate.key,
            "decision": decision,
            "group": actor.group,
            "scores": clean,
            "weighted_score": weighted,
            "comment": text,
            "review_id": review_id,
        }
        decides = decision != "go" or quorum_met(gate, [*earlier, (actor.id, actor.group)])
        if decides:
            by = f"{actor.name} ({actor.group})" if actor.group else actor.name
            _decide(wf, ch, gate, vote, by=by)
        else:
            ch.record("voted", vote)
    return DecisionResult(decides, decision if decides else None, ch.stage, ch.status, ch.version)


_ACTIONS = {"go": "gate_passed", "kill": "killed", "hold": "held", "recycle": "recycled"}


def _decide(
    wf: Workflow, ch: ProjectChange, gate: Gate, vote: dict[str, Any], *, by: str = ""
) -> None:
    """Decide the gate by ``vote``: move the machines, close the review, tell the owner."""
    row, decision, now = ch.row, vote["decision"], ch.now
    if decision == "go":
        stage = ch.fire_gate(gate.key)
        ch.fire("complete" if ch.spec.stage(stage).final else "advance")
        ch.set(
            stage_entered_at=now,
            stage_round=row["stage_round"] + 1 if stage == row["stage"] else 1,
        )
        if stage == row["stage"]:  # a repeated phase starts with a fresh checklist
            ch.set(checklist={k: v for k, v in row["checklist"].items() if k != stage})
    elif decision == "recycle":
        stage = ch.fire_gate(gate.key, recycle=True)
        ch.fire("recycle")
        if stage != row["stage"]:
            ch.set(stage_entered_at=now, stage_round=1)
    else:
        ch.fire(decision)
    ch.set(
        pending_gate=gate.key if decision == "hold" else None,
        pending_review_id=None,
    )
    ch.sql.execute(_CLOSE_REVIEW, {"now": now, "outcome": decision, "id": row["pending_review_id"]})
    ch.record(_ACTIONS[decision], vote, stages=True)
    language = row["owner_language"]
    subject, body = render(
        "decided",
        language,
        url=wf.project_url(row["id"]),
        title=row["title"],
        gate=gate.title.get(language),
        decision=decision,
        comment=vote["comment"],
        by=by,
    )
    ch.mail(Mail(row["owner_id"], row["owner_email"], language, subject, body, row["id"]))
