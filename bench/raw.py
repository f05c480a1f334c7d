"""The raw ``sqlite3`` side of B1 and B9: the engine's statements by hand, and the race.

Both benchmarks copy one seeded database, run the engine on the original and hand-written
SQL on the copy, and alternate the two in slices so that a change in the disk's fsync
latency during the run weighs on both sides alike.
"""

from __future__ import annotations

import hmac
import json
import shutil
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import workflow
from bench.common import Timer, line, sqlite_url
from workflow.store.audit_keys import DEVELOPMENT_KEY

INSERT_EVENT = (
    "INSERT INTO audit_events (project_id, seq, actor_id, action, from_stage, to_stage, "
    "from_status, to_status, payload, created_at, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_KEY = DEVELOPMENT_KEY.encode()


def raw_connection(path: str) -> sqlite3.Connection:
    """A sqlite3 connection with the engine's pragmas (WAL, synchronous=FULL, …)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def sign(event: Mapping[str, Any]) -> str:
    """An event's chain hash as the engine makes it: HMAC-SHA256 of its canonical JSON."""
    text = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.digest(_KEY, text.encode(), "sha256").hex()


def insert_event(conn: sqlite3.Connection, event: Mapping[str, Any], digest: str) -> None:
    """Append ``event`` (the dict :func:`sign` signed) with its hash."""
    conn.execute(
        INSERT_EVENT,
        (
            event["project_id"],
            event["seq"],
            event["actor_id"],
            event["action"],
            event["from_stage"],
            event["to_stage"],
            event["from_status"],
            event["to_status"],
            json.dumps(event["payload"]),
            event["created_at"],
            event["prev_hash"],
            digest,
        ),
    )


def race(
    path: Path,
    ids: list[int],
    engine_each: Callable[[workflow.Workflow, int], object],
    raw_each: Callable[[sqlite3.Connection, int], None],
    rounds: int = 10,
) -> tuple[float, float]:
    """Run ``engine_each`` on the database at ``path`` and ``raw_each`` on a copy, for every
    id, alternating in ``rounds`` slices; return the engine's and the raw loop's seconds."""
    reference = path.with_name("reference.db")
    shutil.copy(path, reference)
    conn = raw_connection(str(reference))
    wf = workflow.Workflow(workflow.Database.from_url(sqlite_url(path)))
    wf.reload_definitions()
    ours = raw = 0.0
    size = max(1, len(ids) // rounds)
    try:
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            with Timer() as t:
                for pid in chunk:
                    raw_each(conn, pid)
            raw += t.seconds
            with Timer() as t:
                for pid in chunk:
                    engine_each(wf, pid)
            ours += t.seconds
    finally:
        conn.close()
        wf.db.dispose()
    return ours, raw


def ratio_line(figure: str, count: int, ours: float, raw: float, target: float) -> tuple[str, bool]:
    """The result line of a race: the engine's rate as a multiple of the raw loop's."""
    ours_rate, raw_rate = count / ours, count / raw
    ratio = ours_rate / raw_rate
    text = f"{ratio:.2f}x raw sqlite3 ({ours_rate:.0f}/s vs {raw_rate:.0f}/s)"
    return line(figure, text, f">= {target}x", ratio >= target), ratio >= target
