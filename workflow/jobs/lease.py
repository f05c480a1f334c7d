"""Named leases in the database: whoever holds one unexpired may act.

Several scheduler processes may run (one per web worker, or a spare); each job first takes
the ``scheduler`` lease and skips its run when another process holds it. Taking the lease
is one ``INSERT … ON CONFLICT DO UPDATE … WHERE`` in a write transaction, which works the
same on SQLite (under ``BEGIN IMMEDIATE``) and PostgreSQL (the unique key serialises two
inserts, and the update re-checks the row it waited for). The holder renews it on every
job; when it dies, the lease runs out and another process takes over.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from workflow.store.db import Database
from workflow.store.tables import leases

SCHEDULER_LEASE = "scheduler"


def new_holder() -> str:
    """A holder name unique to this process: host, process id and a random part."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(db: Database, name: str, holder: str, *, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease ``name`` for ``holder`` until ``now + ttl``.

    Args:
        db: the database holding the lease rows.
        name: which lease (e.g. ``scheduler``).
        holder: who asks; the same holder renews its own lease.
        now: the current time (aware).
        ttl: how long the lease lasts unless renewed.

    Returns:
        True if ``holder`` holds the lease now; False if another holder's lease is unexpired.
    """
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(leases).values(name=name, holder=holder, expires_at=now + ttl)
    stmt = stmt.on_conflict_do_update(
        index_elements=[leases.c.name],
        set_={"holder": stmt.excluded.holder, "expires_at": stmt.excluded.expires_at},
        where=(leases.c.holder == holder) | (leases.c.expires_at < now),
    )
    with db.write() as conn:
        conn.execute(stmt)
        current: str = conn.execute(
            select(leases.c.holder).where(leases.c.name == name)
        ).scalar_one()
    return bool(current == holder)


def release_lease(db: Database, name: str, holder: str, *, now: datetime) -> None:
    """Give up the lease ``name`` if ``holder`` holds it, so another may take it at once."""
    with db.write() as conn:
        conn.execute(
            update(leases)
            .where(leases.c.name == name, leases.c.holder == holder)
            .values(expires_at=now - timedelta(seconds=1))
        )
