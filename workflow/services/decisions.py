"""Deciding at a gate: the hot path of the engine (SPEC B1, B4).

A vote is one :func:`workflow.store.pipeline.change` — lock and read the project, check
its version, then hand-written statements on the driver connection (at a gate that blocks
conflicts of interest, the voter's organisation chain against the partners; read the open
review's go votes, insert the vote, close the review), the machines, the audit event and
the owner's mail, all at the change's one ``now``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workflow.definitions import Gate
from workflow.domain.lifecycle import COMPLETED, IN_REVIEW, KILLED
from workflow.domain.voting import (
    clean_vote,
    conflict_in,
    kill_quorum_met,
    may_vote,
    quorum_met,
)
from workflow.errors import ConcurrentUpdate, PermissionDenied
from workflow.jobs.mail.texts import render
from workflow.runtime import Actor, Workflow
from workflow.services.discussion import clean_conditions, store_conditions
from workflow.store import pipeline
from workflow.store.conflicts import chain_of
from workflow.store.pipeline import Mail, ProjectChange, check_version

# kill votes stay open only at a gate with a kill_quorum, so this is still one small read
_OPEN_VOTES = (
    "SELECT voter_id, voter_group, decision FROM votes "
    "WHERE review_id = %(review)s AND decision IN ('go', 'kill')"
)
_INSERT_VOTE = (
    "INSERT INTO votes (review_id, voter_id, voter_group, decision, scores, weighted_score, "
    "comment, cast_at, substitute_for) VALUES (%(review)s, %(voter)s, %(group)s, "
    "%(decision)s, %(scores)s, %(weighted)s, %(comment)s, %(now)s, %(substitute_for)s)"
)
# only for a voter outside the gate's quorum: the groups they stand in for today
_STANDING_IN = (
    "SELECT gatekeeper_group, user_id FROM substitutes WHERE substitute_id = %(voter)s "
    "AND starts_on <= %(today)s AND ends_on >= %(today)s ORDER BY user_id"
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
    conditions: Sequence[Mapping[str, Any]] | None = None,
) -> DecisionResult:
    """Cast a gatekeeper's vote at the gate the project awaits, deciding it when it may.

    ``go`` passes the gate once every quorum group has its go votes; ``kill`` decides at
    once, or at a gate with a ``kill_quorum`` once every group named there has its kill
    votes (until then the kill vote is recorded, pending); ``hold`` and ``recycle`` decide
    at once. A go may carry ``conditions`` (each ``text``, ``responsible_id``, ``due_on``):
    they become follow-up items when the gate passes.

    Raises:
        PermissionDenied: the actor owns the project, is not in the gate's quorum, or has a
            conflict of interest (``conflict_of_interest``, ``conflict_of_interest_owner``:
            their organisation or one above it is a partner or the owner's, SPEC §2c).
        ConcurrentUpdate: the gate was already decided, or the actor already voted.
        InvalidInput: a wrong decision, score or missing comment.
        NotFound, StaleVersion.
    """
    rows = clean_conditions(conditions, decision) if conditions else None
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
        group, substitute_for = actor.group, None
        if not may_vote(actor, gate):
            group, substitute_for = _stand_in(wf, ch, actor, gate, row["owner_id"])
        if gate.blocks_conflicts:  # against the partners the project has now (SPEC §2c)
            conflict = conflict_in(gate, chain_of(ch.sql, actor.id, project_id))
            if conflict is not None:
                raise PermissionDenied(conflict.code, **conflict.params)
        clean, weighted = clean_vote(gate, decision, scores, comment)
        review_id = row["pending_review_id"]
        earlier = ch.sql.all(_OPEN_VOTES, {"review": review_id})
        if any(voter_id == actor.id for voter_id, _, _ in earlier):
            raise ConcurrentUpdate("already_voted", gate=gate.key, project=project_id)
        text = (comment or "").strip()
        ch.sql.execute(
            _INSERT_VOTE,
            {
                "review": review_id,
                "voter": actor.id,
                "group": group or "",
                "decision": decision,
                "scores": clean,
                "weighted": weighted,
                "comment": text,
                "now": ch.now,
                "substitute_for": substitute_for,
            },
        )
        vote = {
            "gate": gate.key,
            "decision": decision,
            "group": group,
            "scores": clean,
            "weighted_score": weighted,
            "comment": text,
            "review_id": review_id,
        }
        if rows:  # a conditional go: nothing of this is paid for without conditions
            store_conditions(ch, gate.key, review_id, actor.id, rows)
            vote["conditions"] = [dict(r, due_on=r["due_on"].isoformat()) for r in rows]
        if substitute_for is not None:
            vote["substitute_for"] = substitute_for
        decides = _decides(gate, decision, earlier, (actor.id, group))
        if decides:
            by = f"{actor.name} ({actor.group})" if actor.group else actor.name
            _decide(wf, ch, gate, vote, by=by)
        else:
            ch.record("voted", vote)
    return DecisionResult(decides, decision if decides else None, ch.stage, ch.status, ch.version)


def _stand_in(
    wf: Workflow, ch: ProjectChange, actor: Actor, gate: Gate, owner_id: int
) -> tuple[str, int]:
    """The group and gatekeeper the actor votes for as a named substitute today.

    Raises:
        PermissionDenied: ``not_in_quorum``: they stand in for no group of the gate's quorum.
    """
    today = wf.today(ch.now)
    day: Any = today.isoformat() if ch.sql.sqlite else today
    for group, principal in ch.sql.all(_STANDING_IN, {"voter": actor.id, "today": day}):
        stand_in = Actor(actor.id, actor.email, actor.name, "gatekeeper", group)
        if principal != owner_id and may_vote(stand_in, gate):
            return group, principal
    raise PermissionDenied("not_in_quorum", groups=list(gate.quorum), gate=gate.key)


def _decides(gate: Gate, decision: str, earlier: list[Any], mine: tuple[int, str | None]) -> bool:
    """Whether this vote decides the gate: a go at its quorum, a kill at its kill quorum
    (any one kill without one), a hold or recycle at once."""
    if decision == "go":
        return quorum_met(gate, [*((v, g) for v, g, d in earlier if d == "go"), mine])
    if decision == "kill" and gate.kill_quorum is not None:
        return kill_quorum_met(gate, [*((v, g) for v, g, d in earlier if d == "kill"), mine])
    return True


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
    if ch.status in (KILLED, COMPLETED):  # ended: ask its owner for a lesson learned
        subject, body = render(
            "lesson_asked", language, url=wf.project_url(row["id"]), title=row["title"]
        )
        ch.mail(Mail(row["owner_id"], row["owner_email"], language, subject, body, row["id"]))
