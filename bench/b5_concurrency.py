"""B5: decisions per second on PostgreSQL from 4 concurrent processes against one process.

Every process decides its own projects through ``workflow.decide_gate``; afterwards every
decision must be there exactly once (no lost update) and every audit chain must verify.
The database is ``SAMSPILL_BENCH_POSTGRES_URL`` (default ``postgresql:///samspill_bench``,
created when missing); its tables are dropped and rebuilt.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

from sqlalchemy import create_engine, func, select, text

import workflow
from bench.common import Timer, line, main, open_fresh, seed_people, seed_projects
from workflow.store.tables import Project, table

TARGET = 1.5
WORKERS = 4
URL = os.environ.get("SAMSPILL_BENCH_POSTGRES_URL", "postgresql+psycopg:///samspill_bench")


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist."""
    engine = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    name = url.rsplit("/", 1)[1]
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def decide_all(args: tuple[str, int, list[int]]) -> float:
    """In a worker process: decide each project; return the seconds it took."""
    url, gatekeeper_id, ids = args
    wf = workflow.Workflow(workflow.Database.from_url(url))
    wf.reload_definitions()
    gatekeeper = workflow.get_actor(wf, user_id=gatekeeper_id)
    with Timer() as t:
        for pid in ids:
            workflow.decide_gate(wf, gatekeeper, pid, decision="go")
    wf.db.dispose()
    return t.seconds


def run(projects: int) -> tuple[str, bool]:
    """Seed, then time one process and WORKERS processes; return the result line."""
    ensure_database(URL)
    per_side = max(WORKERS, projects // 2)
    wf = open_fresh(URL)
    people = seed_people(wf)
    ids = seed_projects(wf, people.owner.id, per_side * 2, in_review=per_side * 2)
    wf.db.dispose()
    gk = people.gatekeepers[0].id
    solo_ids, shared_ids = ids[:per_side], ids[per_side:]
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        pool.map(decide_all, [(URL, gk, []) for _ in range(WORKERS)])  # warm the workers
        with Timer() as solo:
            pool.map(decide_all, [(URL, gk, solo_ids)])
        slices = [shared_ids[i::WORKERS] for i in range(WORKERS)]
        with Timer() as shared:
            pool.map(decide_all, [(URL, gk, s) for s in slices])
    lost = _lost_updates(ids)
    solo_rate, shared_rate = per_side / solo.seconds, per_side / shared.seconds
    ratio = shared_rate / solo_rate
    ok = ratio >= TARGET and lost == 0
    text = (
        f"{ratio:.2f}x one process with {WORKERS} processes on PostgreSQL "
        f"({shared_rate:.0f}/s vs {solo_rate:.0f}/s), {lost} lost updates"
    )
    return line("B5", text, f">= {TARGET}x, no lost update", ok), ok


def _lost_updates(ids: list[int]) -> int:
    db = workflow.Database.from_url(URL)
    projects = table(Project)
    with db.read() as conn:
        decided = conn.execute(
            select(func.count())
            .select_from(projects)
            .where(projects.c.id.in_(ids), projects.c.status == "active", projects.c.version == 2)
        ).scalar_one()
        # the seeded projects have no creation events, so the chain ledger counts none of
        # them: only the chains themselves are checked here
        faults = [f for f in workflow.verify_chains(conn) if f.project_id is not None]
    db.dispose()
    return len(ids) - decided + len(faults)


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 4_000))
