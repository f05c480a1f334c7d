"""The audit trail: one hash chain per project, appended in the same transaction as a change.

Each event stores the hash of the project's previous event and the HMAC-SHA256, under the
audit key (:mod:`workflow.store.audit_keys`), of its own canonical content (which includes
that previous hash). The project row keeps the hash and sequence number of its newest event,
so an edited, deleted, reordered or truncated event breaks a link, and without the key no
one can recompute the links. Chains are per project so writers on different projects never
wait for each other; writers on one project are already serialised by its row lock and
version check. One keyed counter per database, the chain ledger, counts the chains, so a
project deleted with its whole trail is missed (:mod:`workflow.store.audit_check`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from workflow.store.audit_keys import Keyring, current_keyring
from workflow.store.tables import ledger

GENESIS = "0" * 64
LEDGER_ID = 1


def canonical(event: Mapping[str, Any]) -> bytes:
    """An event's canonical content: sorted keys, ISO times, its prev_hash."""
    content = {
        "project_id": event["project_id"],
        "seq": event["seq"],
        "actor_id": event["actor_id"],
        "action": event["action"],
        "from_stage": event["from_stage"],
        "to_stage": event["to_stage"],
        "from_status": event["from_status"],
        "to_status": event["to_status"],
        "payload": event["payload"],
        "created_at": event["created_at"].isoformat(timespec="microseconds"),
        "prev_hash": event["prev_hash"],
    }
    text = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return text.encode("utf-8")


def unkeyed_hash(event: Mapping[str, Any]) -> str:
    """The plain SHA-256 that events had before the trail was keyed (read by rekey only)."""
    return hashlib.sha256(canonical(event)).hexdigest()


def new_event(
    *,
    project_id: int,
    seq: int,
    prev_hash: str,
    actor_id: int | None,
    action: str,
    created_at: datetime,
    payload: Mapping[str, Any] | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
) -> dict[str, Any]:
    """Build the row of an event (with its hash) that follows ``prev_hash`` as number ``seq``."""
    row: dict[str, Any] = {
        "project_id": project_id,
        "seq": seq,
        "actor_id": actor_id,
        "action": action,
        "from_stage": from_stage,
        "to_stage": to_stage,
        "from_status": from_status,
        "to_status": to_status,
        "payload": dict(payload or {}),
        "created_at": created_at.astimezone(UTC),
        "prev_hash": prev_hash,
    }
    row["hash"] = current_keyring().sign(canonical(row))
    return row


def ledger_content(chains: int, id_sum: int) -> bytes:
    """What the chain ledger's MAC covers: how many chains, and the sum of their project ids."""
    return f"samspill audit ledger: {chains} chain(s), id sum {id_sum}".encode()


def ledger_signer(keyring: Keyring, chains: int, id_sum: int, mac: str) -> bytes | None:
    """The key that signed the ledger as ``mac`` (None: edited, or not keyed yet).

    A fresh database's ledger (no chains, no MAC yet, or no row at all) counts as signed.
    """
    if (chains, id_sum, mac) == (0, 0, ""):
        return keyring.current
    return keyring.signer_of(ledger_content(chains, id_sum), mac)


def count_new_chain(conn: Connection, project_id: int) -> None:
    """Count the chain of a new project in the ledger, in the caller's transaction.

    A ledger that does not verify is counted on but not re-signed, so an edit of it stays
    visible to ``audit verify`` instead of being laundered by the next project.
    """
    keyring = current_keyring()
    fresh = {"id": LEDGER_ID, "chains": 0, "id_sum": 0, "mac": ""}
    dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
    conn.execute(dialect_insert(ledger).values(fresh).on_conflict_do_nothing())
    row = conn.execute(select(ledger).where(ledger.c.id == LEDGER_ID).with_for_update()).one()
    chains, id_sum = row.chains + 1, row.id_sum + project_id
    valid = ledger_signer(keyring, row.chains, row.id_sum, row.mac) is not None
    mac = keyring.sign(ledger_content(chains, id_sum)) if valid else row.mac
    conn.execute(
        update(ledger).where(ledger.c.id == LEDGER_ID).values(chains=chains, id_sum=id_sum, mac=mac)
    )
