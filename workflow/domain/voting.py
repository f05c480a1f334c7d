"""The rules of a gatekeeper's vote: pure functions, no database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from workflow.definitions import ANY_GROUP, Gate
from workflow.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from workflow.runtime import Actor

DECISIONS = ("go", "kill", "hold", "recycle")
MAX_COMMENT = 5_000

#: one organisation of a gatekeeper's chain — their own organisation first, then the one
#: above it, and so on: ``(id, name, is a partner of the project, is the owner's organisation)``
ChainLink = tuple[int, str, bool, bool]


def may_vote(actor: Actor, gate: Gate) -> bool:
    """Whether ``actor`` is a gatekeeper of a group in the gate's quorum."""
    if not actor.is_gatekeeper or not actor.group:
        return False
    return ANY_GROUP in gate.quorum or actor.group in gate.quorum


def conflict_in(gate: Gate, chain: Iterable[ChainLink]) -> Problem | None:
    """Why a gatekeeper with this organisation ``chain`` has a conflict of interest at
    ``gate`` (SPEC §2c), or None when they have none.

    At a gate with ``conflict_of_interest: block`` the gatekeeper is conflicted when their
    organisation, or one above it, is a partner of the project (any status) or the owner's
    organisation; the nearest such organisation is named, a partner before the owner's. A
    gatekeeper without an organisation has an empty chain and is never conflicted.
    """
    if not gate.blocks_conflicts:
        return None
    for organisation, name, partner, owner in chain:
        if partner or owner:
            code = "conflict_of_interest" if partner else "conflict_of_interest_owner"
            return Problem(code, {"organisation": organisation, "name": name, "gate": gate.key})
    return None


def clean_vote(
    gate: Gate, decision: str, scores: Any, comment: Any
) -> tuple[dict[str, int], float | None]:
    """Check a vote at ``gate`` and return its scores and weighted score (for a go).

    Raises:
        InvalidInput: a wrong decision, score or comment, naming each field; or a go whose
            weighted score is below the gate's pass score.
    """
    errors: dict[str, Problem] = {}
    if decision not in DECISIONS:
        errors["decision"] = Problem("not_one_of", {"choices": list(DECISIONS)})
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        errors["comment"] = Problem("text_too_long", {"max": MAX_COMMENT})
    elif decision in ("kill", "recycle") and not (comment or "").strip():
        errors["comment"] = Problem("comment_required", {"decision": decision})
    clean: dict[str, int] = {}
    if scores is not None and not isinstance(scores, Mapping):
        errors["scores"] = Problem("scores_not_mapping")
        scores = {}
    criteria = {c.key for c in gate.scorecard}
    for key, value in (scores or {}).items():
        if key not in criteria:
            errors[f"scores.{str(key)[:64]}"] = Problem(
                "unknown_criterion", {"gate": gate.key, "criterion": str(key)[:64]}
            )
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[f"scores.{key}"] = Problem("not_score")
        else:
            clean[key] = value
    if decision == "go":
        for key in sorted(criteria - set(scores or {})):
            errors[f"scores.{key}"] = Problem("score_missing")
    if errors:
        raise InvalidInput(errors)
    weighted = gate.weighted_score(clean) if decision == "go" and gate.scorecard else None
    if weighted is not None and gate.pass_score is not None and weighted < gate.pass_score:
        raise InvalidInput(
            {
                "scores": Problem(
                    "below_pass_score", {"score": weighted, "pass_score": gate.pass_score}
                )
            }
        )
    return clean, weighted


def quorum_met(gate: Gate, go_votes: Iterable[tuple[int, str | None]]) -> bool:
    """Whether the go votes, as ``(voter_id, voter_group)`` pairs, meet the gate's quorum.

    A voter counts once per group; a quorum on ``any`` group counts distinct voters.
    """
    voters_per_group: dict[str | None, set[int]] = {}
    for voter_id, group in go_votes:
        voters_per_group.setdefault(group, set()).add(voter_id)
    if ANY_GROUP in gate.quorum:
        return len({v for vs in voters_per_group.values() for v in vs}) >= gate.quorum[ANY_GROUP]
    counts = Counter({g: len(vs) for g, vs in voters_per_group.items()})
    return all(counts[group] >= needed for group, needed in gate.quorum.items())


def kill_quorum_met(gate: Gate, kill_votes: Iterable[tuple[int, str | None]]) -> bool:
    """Whether the kill votes, as ``(voter_id, voter_group)`` pairs, kill the project.

    Without a ``kill_quorum`` any one kill decides (the default); with one, every group it
    names needs that many distinct voters (``any``: that many voters of any group).
    """
    if gate.kill_quorum is None:
        return True
    voters_per_group: dict[str | None, set[int]] = {}
    for voter_id, group in kill_votes:
        voters_per_group.setdefault(group, set()).add(voter_id)
    if ANY_GROUP in gate.kill_quorum:
        voters = {v for vs in voters_per_group.values() for v in vs}
        return len(voters) >= gate.kill_quorum[ANY_GROUP]
    return all(
        len(voters_per_group.get(group, ())) >= needed for group, needed in gate.kill_quorum.items()
    )
