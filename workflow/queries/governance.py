"""The read side of governance: a sent-back project's feedback, and what changed since a
gate last looked at a project."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, select

from workflow.runtime import Workflow
from workflow.store.tables import events, reviews, substitutes, users, votes

#: the most events "what changed" lists; the page says when there were more
MAX_CHANGES = 50
#: what the board itself did: not a change the owner made since the last review
_REVIEW_ACTIONS = ("submitted", "voted", "gate_passed", "killed", "held", "recycled", "resumed")


def sent_back(wf: Workflow, project_id: int) -> dict[str, Any] | None:
    """The board's feedback when the project's newest review sent it back, else None:
    ``{gate, decided_at, feedback, voter_name}`` (until it is submitted again)."""
    with wf.db.read() as conn:
        row = (
            conn.execute(
                select(
                    reviews.c.gate_key.label("gate"),
                    reviews.c.outcome,
                    reviews.c.decided_at,
                    votes.c.comment.label("feedback"),
                    users.c.name.label("voter_name"),
                )
                .outerjoin(
                    votes, and_(votes.c.review_id == reviews.c.id, votes.c.decision == "recycle")
                )
                .outerjoin(users, users.c.id == votes.c.voter_id)
                .where(reviews.c.project_id == project_id)
                .order_by(reviews.c.id.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
    if row is None or row["outcome"] != "recycle":
        return None
    return {k: row[k] for k in ("gate", "decided_at", "feedback", "voter_name")}


def changes_since_last_review(
    wf: Workflow, project_id: int, gate: str, review_id: int
) -> tuple[list[dict[str, Any]], bool] | None:
    """The project's audit events of every kind (fields, checklist, partners, and whatever
    other modules record) between the last decided review of ``gate`` and the open review
    ``review_id``, oldest first, at most :data:`MAX_CHANGES`, and whether there were more.

    None when the gate has not decided on the project before.
    """
    with wf.db.read() as conn:
        times = conn.execute(
            select(reviews.c.id, reviews.c.decided_at, reviews.c.submitted_at)
            .where(
                reviews.c.project_id == project_id,
                reviews.c.gate_key == gate,
                reviews.c.id <= review_id,
            )
            .order_by(reviews.c.id.desc())
            .limit(2)
        ).all()
        if len(times) < 2 or times[0].id != review_id or times[1].decided_at is None:
            return None
        rows = conn.execute(
            select(events.c.action, events.c.payload, events.c.created_at, events.c.seq)
            .add_columns(users.c.name.label("actor_name"))
            .outerjoin(users, users.c.id == events.c.actor_id)
            .where(
                events.c.project_id == project_id,
                events.c.created_at > times[1].decided_at,
                events.c.created_at <= times[0].submitted_at,
                events.c.action.not_in(_REVIEW_ACTIONS),
            )
            .order_by(events.c.seq)
            .limit(MAX_CHANGES + 1)
        ).mappings()
        found = [dict(r) for r in rows]
    return found[:MAX_CHANGES], len(found) > MAX_CHANGES


def standing_in_for(conn: Connection, user_id: int, today: date) -> list[tuple[str, int]]:
    """The groups ``user_id`` votes in today as a substitute, with whom for: ``(group,
    gatekeeper id)`` pairs (one indexed query)."""
    rows = conn.execute(
        select(substitutes.c.gatekeeper_group, substitutes.c.user_id)
        .where(
            substitutes.c.substitute_id == user_id,
            substitutes.c.ends_on >= today,
            substitutes.c.starts_on <= today,
        )
        .order_by(substitutes.c.user_id)
        .limit(20)
    ).all()
    return [(r[0], r[1]) for r in rows]
