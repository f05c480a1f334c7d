"""Remove stored files no attachment refers to (orphans).

A file is stored before its attachment row is written, outside the write transaction (slow
work never holds the write lock), so an upload the engine then refuses (a stale version, a
project frozen in review) leaves its bytes behind. This daily job deletes the files that no
``attachments`` row names once they are a day old: an upload in flight is seconds old, and a
stored file uploaded again is touched so that it counts as new.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from workflow.runtime import Workflow
from workflow.store.files import FileStore
from workflow.store.tables import attachments

#: how old an unreferenced file must be before it is removed
GRACE = timedelta(days=1)


@dataclass(frozen=True)
class CleanupReport:
    """What the sweep did: files old enough to judge, and how many were removed."""

    examined: int
    removed: int

    def as_dict(self) -> dict[str, int]:
        """The report as a job run's summary."""
        return asdict(self)


def remove_orphan_files(wf: Workflow, store: FileStore, *, as_of: datetime) -> CleanupReport:
    """Delete the stored files older than :data:`GRACE` (before ``as_of`` or the clock,
    whichever is earlier) that no attachment refers to."""
    cutoff = min(as_of, wf.clock()) - GRACE
    examined = removed = 0
    for digests in store.stored_before(cutoff):
        examined += len(digests)
        with wf.db.read() as conn:
            kept: set[str] = set(
                conn.execute(
                    select(attachments.c.sha256).where(attachments.c.sha256.in_(digests))
                ).scalars()
            )
        removed += sum(
            store.remove_if_before(digest, cutoff) for digest in digests if digest not in kept
        )
    return CleanupReport(examined, removed)
