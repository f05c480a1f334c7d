"""Who may vote at a gate: a pure rule, no database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workflow.definitions import ANY_GROUP, Gate

if TYPE_CHECKING:
    from workflow.runtime import Actor


def may_vote(actor: Actor, gate: Gate) -> bool:
    """Whether ``actor`` is a gatekeeper of a group in the gate's quorum."""
    if not actor.is_gatekeeper or not actor.group:
        return False
    return ANY_GROUP in gate.quorum or actor.group in gate.quorum
