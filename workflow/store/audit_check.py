"""Verifying the audit trail, and re-signing it under a new key (``samspill audit rekey``).

:func:`verify_chains` streams every project's events and reports, per project, the first
of: an event out of sequence, a broken link, a hash no audit key signed, a move from a
stage or status the project was not in, a project row whose head, stage or status is not
what its events add up to, and a vote without its event or an event without its vote.
Last it checks the chain ledger: a database with fewer (or more) chains than the ledger
counts lost (or gained) a project together with its trail.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from workflow.store.audit import (
    GENESIS,
    LEDGER_ID,
    canonical,
    ledger_content,
    ledger_signer,
    unkeyed_hash,
)
from workflow.store.audit_keys import Keyring, current_keyring
from workflow.store.tables import events as _events
from workflow.store.tables import ledger
from workflow.store.tables import projects as _projects
from workflow.store.tables import reviews as _reviews
from workflow.store.tables import votes as _votes

#: the events that record a gatekeeper's vote (the deciding vote records the decision)
VOTE_ACTIONS = frozenset({"voted", "gate_passed", "killed", "held", "recycled"})
VoteKey = tuple[int | None, int | None, str | None, str, str]


@dataclass(frozen=True)
class ChainFault:
    """The first fault found in a project's chain (or in the ledger), and why."""

    project_id: int | None
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        if self.project_id is None:
            return f"the chain ledger: {self.reason}"
        where = f"event {self.event_id}" if self.event_id is not None else "chain end"
        return f"project {self.project_id}, {where} (#{self.seq}): {self.reason}"


def _vote_key(review_id: Any, voter_id: Any, decision: Any, scores: Any, comment: Any) -> VoteKey:
    return (review_id, voter_id, decision, json.dumps(scores or {}, sort_keys=True), comment or "")


@dataclass
class _Replay:
    """One project's chain as read so far."""

    project_id: int
    seq: int = 0
    head: str = GENESIS
    key: bytes | None = None
    stage: str | None = None
    status: str | None = None
    votes: Counter[VoteKey] = field(default_factory=Counter)


def verify_chains(
    conn: Connection, batch: int = 5000, *, accept_unkeyed: bool = False
) -> Iterator[ChainFault]:
    """Check every chain, its project's state and votes, and the ledger; yield each fault.

    ``accept_unkeyed`` lets events hashed before the trail was keyed pass (for rekey).
    """
    keyring = current_keyring()
    rows = conn.execute(
        select(
            _projects.c.id,
            _projects.c.audit_seq,
            _projects.c.audit_head,
            _projects.c.stage,
            _projects.c.status,
        )
    )
    projects = {r.id: r for r in rows}
    votes = _votes_by_project(conn)
    events = conn.execute(
        select(_events)
        .order_by(_events.c.project_id, _events.c.seq)
        .execution_options(yield_per=batch)
    ).mappings()
    seen: set[int] = set()
    replay: _Replay | None = None
    broken = False
    for row in events:
        if replay is None or row["project_id"] != replay.project_id:
            if replay is not None and not broken:
                yield from _check_end(replay, projects.get(replay.project_id), votes)
            seen.add(row["project_id"])
            replay, broken = _Replay(row["project_id"]), False
        if broken:
            continue
        fault = _check_event(keyring, row, replay, accept_unkeyed)
        if fault:
            broken = True
            yield ChainFault(row["project_id"], row["seq"], row["id"], fault)
    if replay is not None and not broken:
        yield from _check_end(replay, projects.get(replay.project_id), votes)
    for pid in sorted(set(projects) - seen):
        recorded = projects[pid].audit_seq
        reason = f"all {recorded} event(s) are missing" if recorded else "has no audit trail"
        yield ChainFault(pid, 1, None, reason)
    for pid in sorted(set(votes) - seen):
        yield ChainFault(pid, 0, None, "has votes but no audit trail")
    yield from _check_ledger(conn, keyring, seen, accept_unkeyed)


def _votes_by_project(conn: Connection) -> dict[int, Counter[VoteKey]]:
    rows = conn.execute(
        select(
            _reviews.c.project_id,
            _votes.c.review_id,
            _votes.c.voter_id,
            _votes.c.decision,
            _votes.c.scores,
            _votes.c.comment,
        ).join(_reviews, _reviews.c.id == _votes.c.review_id)
    )
    found: dict[int, Counter[VoteKey]] = {}
    for r in rows:
        key = _vote_key(r.review_id, r.voter_id, r.decision, r.scores, r.comment)
        found.setdefault(r.project_id, Counter())[key] += 1
    return found


def _check_event(
    keyring: Keyring, row: Mapping[Any, Any], replay: _Replay, accept_unkeyed: bool
) -> str | None:
    expected = replay.seq + 1
    if row["seq"] != expected:
        return f"sequence number {row['seq']} where {expected} was expected (deleted or moved)"
    if row["prev_hash"] != replay.head:
        return "does not link to the previous event (deleted, inserted or reordered)"
    content = canonical(row)
    key = keyring.signer_of(content, row["hash"], first=replay.key)
    if key is None:
        if unkeyed_hash(row) != row["hash"]:
            return "content does not match its hash (edited, or signed with an unknown key)"
        if not accept_unkeyed:
            return (
                "hashed without the audit key (forged, or written before the trail was "
                "keyed: run `samspill audit rekey`)"
            )
    for name in ("stage", "status"):
        before, now = row[f"from_{name}"], getattr(replay, name)
        if before is not None and now is not None and before != now:
            return f"moves from {name} '{before}' but the project was in '{now}'"
    replay.seq, replay.head, replay.key = row["seq"], row["hash"], key or replay.key
    replay.stage = row["to_stage"] or replay.stage
    replay.status = row["to_status"] or replay.status
    payload = row["payload"] or {}
    if row["action"] in VOTE_ACTIONS and "review_id" in payload:
        replay.votes[
            _vote_key(
                payload["review_id"],
                row["actor_id"],
                payload.get("decision"),
                payload.get("scores"),
                payload.get("comment"),
            )
        ] += 1
    return None


def _check_end(
    replay: _Replay, project: Any, votes: Mapping[int, Counter[VoteKey]]
) -> Iterator[ChainFault]:
    pid, seq = replay.project_id, replay.seq
    if project is None:
        yield ChainFault(pid, seq, None, "has events but the project does not exist")
        return
    if project.audit_seq != seq or project.audit_head != replay.head:
        yield ChainFault(
            pid,
            seq + 1,
            None,
            f"the project records {project.audit_seq} event(s) but the chain ends at {seq}",
        )
        return
    if (project.stage, project.status) != (replay.stage, replay.status):
        yield ChainFault(
            pid,
            seq,
            None,
            f"the project is in stage '{project.stage}' with status '{project.status}' but "
            f"its events put it in '{replay.stage}' with '{replay.status}'",
        )
        return
    stored = votes.get(pid, Counter())
    if stored != replay.votes:
        missing, unrecorded = replay.votes - stored, stored - replay.votes
        what = (
            f"{sum(missing.values())} vote(s) recorded in events are missing from the votes"
            if missing
            else f"{sum(unrecorded.values())} vote(s) have no event (inserted or edited)"
        )
        yield ChainFault(pid, seq, None, what)


def _check_ledger(
    conn: Connection, keyring: Keyring, chains: set[int], accept_unkeyed: bool
) -> Iterator[ChainFault]:
    row = conn.execute(select(ledger.c.chains, ledger.c.id_sum, ledger.c.mac)).one_or_none()
    counted, id_sum, mac = (row.chains, row.id_sum, row.mac) if row else (0, 0, "")
    if mac == "" and accept_unkeyed:
        return
    if mac == "" and chains:
        reason = "is missing or not keyed yet: run `samspill audit rekey`"
    elif ledger_signer(keyring, counted, id_sum, mac) is None:
        reason = "is not signed with the audit key (edited)"
    elif (counted, id_sum) != (len(chains), sum(chains)):
        reason = (
            f"counts {counted} chain(s) but {len(chains)} exist, or other ones: a project "
            "was deleted together with its audit trail, or inserted"
        )
    else:
        return
    yield ChainFault(None, 0, None, reason)


def rekey_chains(conn: Connection, keyring: Keyring) -> list[ChainFault] | int:
    """Re-sign every chain and the ledger with ``keyring``'s current key, in one transaction.

    Refuses (returning the faults, changing nothing) unless the trail verifies with the
    keys it was signed with — or, for events written before the trail was keyed, with
    their plain hashes. Returns how many events it re-signed.
    """
    faults = list(verify_chains(conn, accept_unkeyed=True))
    if faults:
        return faults
    project_ids: list[int] = sorted(conn.execute(select(_events.c.project_id).distinct()).scalars())
    resign = (
        update(_events)
        .where(_events.c.id == bindparam("event_id"))
        .values(prev_hash=bindparam("prev"), hash=bindparam("new"))
    )
    count = 0
    for pid in project_ids:
        rows = conn.execute(
            select(_events).where(_events.c.project_id == pid).order_by(_events.c.seq)
        ).mappings()
        head, changes = GENESIS, []
        for row in rows:
            event = dict(row, prev_hash=head)
            head = keyring.sign(canonical(event))
            changes.append({"event_id": row["id"], "prev": event["prev_hash"], "new": head})
        conn.execute(resign, changes)
        conn.execute(update(_projects).where(_projects.c.id == pid).values(audit_head=head))
        count += len(changes)
    chains, id_sum = len(project_ids), sum(project_ids)
    conn.execute(ledger.delete())
    conn.execute(
        ledger.insert().values(
            id=LEDGER_ID,
            chains=chains,
            id_sum=id_sum,
            mac=keyring.sign(ledger_content(chains, id_sum)),
        )
    )
    return count
