"""The organisations that may make a gatekeeper conflicted on projects (SPEC §2c), in one query.

One recursive query walks the gatekeeper's organisation up its tree (their own first, then
its parent, the parent's parent, …) and says, for each project asked about, whether each of
those organisations is one of the project's partners (any status) or the owner's
organisation. It is hand-written SQL on the driver connection, the same on SQLite and
PostgreSQL, so that the vote's hot path (:func:`workflow.services.decisions.decide_gate`)
spends one cheap query on it inside its transaction, and the gate queue one for its page.
:func:`workflow.domain.voting.conflict_in` decides from the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from workflow.domain.voting import ChainLink
from workflow.store.fastsql import Sql

#: how far up the tree the walk goes: a guard against a cycle in ``parent_id``
MAX_DEPTH = 16

#: a user's organisation and every one above it, nearest first
_CHAIN = (
    "WITH RECURSIVE chain(id, depth) AS ("
    "SELECT organisation_id, 0 FROM users "
    "WHERE id = %(voter)s AND organisation_id IS NOT NULL "
    "UNION ALL "
    "SELECT o.parent_id, c.depth + 1 FROM chain c JOIN organisations o ON o.id = c.id "
    f"WHERE o.parent_id IS NOT NULL AND c.depth < {MAX_DEPTH}) "
)
_CHAINS = (
    _CHAIN + "SELECT p.id, o.id, o.name, "
    "EXISTS (SELECT 1 FROM project_partners pp "
    "WHERE pp.project_id = p.id AND pp.organisation_id = o.id), "
    "EXISTS (SELECT 1 FROM users ou WHERE ou.id = p.owner_id AND ou.organisation_id = o.id) "
    "FROM chain c JOIN organisations o ON o.id = c.id JOIN projects p ON {projects} "
    "ORDER BY p.id, c.depth"
)
#: the chain for one project: the decision's hot path
ONE_PROJECT = _CHAINS.replace("{projects}", "p.id = %(project)s")


@lru_cache(maxsize=8)
def _many(count: int) -> str:
    marks = ", ".join(f"%(p{i})s" for i in range(count))
    return _CHAINS.replace("{projects}", f"p.id IN ({marks})")


#: given organisations and a user's, with every organisation above them
_WITH_ABOVE = (
    "WITH RECURSIVE up(id, depth) AS ("
    "SELECT id, 0 FROM organisations WHERE id IN ({ids}) "
    "OR id = (SELECT organisation_id FROM users WHERE id = %(user)s) "
    "UNION ALL "
    "SELECT o.parent_id, u.depth + 1 FROM up u JOIN organisations o ON o.id = u.id "
    f"WHERE o.parent_id IS NOT NULL AND u.depth < {MAX_DEPTH}) "
    "SELECT DISTINCT id FROM up"
)


def with_those_above(runner: Sql, organisation_ids: Sequence[int], user_id: int) -> set[int]:
    """The given organisations and the user's, with every organisation above each (one
    query): a project's partners and its owner's organisation, with their parents."""
    ids = list(dict.fromkeys(organisation_ids)) or [0]
    size = -(-len(ids) // 25) * 25  # few statements to prepare, as in chains_of
    params: dict[str, int] = {"user": user_id}
    for i in range(size):
        params[f"p{i}"] = ids[min(i, len(ids) - 1)]
    sql = _WITH_ABOVE.replace("{ids}", ", ".join(f"%(p{i})s" for i in range(size)))
    return {int(r[0]) for r in runner.all(sql, params)}


def chain_of(runner: Sql, voter_id: int, project_id: int) -> list[ChainLink]:
    """The voter's organisation chain, own organisation first, flagged for one project."""
    rows = runner.all(ONE_PROJECT, {"voter": voter_id, "project": project_id})
    return [(org, name, bool(partner), bool(owner)) for _, org, name, partner, owner in rows]


def chains_of(runner: Sql, voter_id: int, project_ids: Sequence[int]) -> dict[int, list[ChainLink]]:
    """:func:`chain_of` for many projects at once (one query); projects without any are left out.

    The number of placeholders is rounded up to a multiple of 25 so that few statements are
    cached and prepared.
    """
    if not project_ids:
        return {}
    ids = list(dict.fromkeys(project_ids))
    size = -(-len(ids) // 25) * 25
    params: dict[str, int] = {"voter": voter_id}
    for i in range(size):
        params[f"p{i}"] = ids[min(i, len(ids) - 1)]
    chains: dict[int, list[ChainLink]] = {}
    for project, org, name, partner, owner in runner.all(_many(size), params):
        chains.setdefault(project, []).append((org, name, bool(partner), bool(owner)))
    return chains
