"""B4: the cost of one decision with 100,000 projects in the database against 1,000.

Each size gets a fresh SQLite database seeded with that many projects, of which the same
number wait at a gate; the same decisions are timed on both, alternating in slices so that
disk latency drifts alike. Flat cost means indexed, bounded work per decision.
"""

from __future__ import annotations

import sys

import workflow
from bench.common import (
    Timer,
    line,
    main,
    open_fresh,
    scratch_sqlite,
    seed_people,
    seed_projects,
    sqlite_url,
)

TARGET = 1.2
DECISIONS = 1000


def prepare(path_url: str, projects: int) -> tuple[workflow.Workflow, workflow.Actor, list[int]]:
    """A database with ``projects`` projects of which DECISIONS await a decision."""
    wf = open_fresh(path_url)
    people = seed_people(wf)
    ids = seed_projects(wf, people.owner.id, projects, in_review=min(DECISIONS, projects))
    return wf, people.gatekeepers[0], ids


def run(projects: int, small: int = 1000, rounds: int = 10) -> tuple[str, bool]:
    """Time DECISIONS decisions at ``small`` and at ``projects`` projects; return the line."""
    with scratch_sqlite() as a, scratch_sqlite() as b:
        wf_small, gk_small, ids_small = prepare(sqlite_url(a), small)
        wf_large, gk_large, ids_large = prepare(sqlite_url(b), projects)
        spent_small = spent_large = 0.0
        size = max(1, len(ids_small) // rounds)
        for start in range(0, len(ids_small), size):
            for wf, gk, ids, side in (
                (wf_small, gk_small, ids_small, "small"),
                (wf_large, gk_large, ids_large, "large"),
            ):
                with Timer() as t:
                    for pid in ids[start : start + size]:
                        workflow.decide_gate(wf, gk, pid, decision="go")
                if side == "small":
                    spent_small += t.seconds
                else:
                    spent_large += t.seconds
        wf_small.db.dispose()
        wf_large.db.dispose()
    per_small = spent_small / len(ids_small) * 1000
    per_large = spent_large / len(ids_large) * 1000
    ratio = per_large / per_small
    text = (
        f"{ratio:.2f}x cost per decision at {projects:,} vs {small:,} projects "
        f"({per_large:.2f} ms vs {per_small:.2f} ms)"
    )
    return line("B4", text, f"<= {TARGET}x", ratio <= TARGET), ratio <= TARGET


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 100_000))
