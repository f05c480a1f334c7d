"""What every benchmark needs: a scratch database, bulk seeding, timers and the output line.

Seeding writes rows with bulk Core inserts (not through the services) so that 100,000
projects take seconds; every project is a real, consistent row that the services accept.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

import workflow
from workflow import Database, Settings, Workflow
from workflow.services.accounts import PASSWORD_METHOD  # noqa: F401 - documents the default
from workflow.store.tables import GateReview, Project, User, table

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = "mdi"  # its first gate needs one go from any gatekeeper: one vote decides
CHUNK = 5_000


def parser(description: str, default_projects: int) -> argparse.ArgumentParser:
    """An argument parser with the ``--projects N`` every benchmark accepts."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--projects",
        type=int,
        default=default_projects,
        help=f"how many projects to seed (default {default_projects:,})",
    )
    return p


def main(doc: str | None, run: Callable[[int], tuple[str, bool]], default: int) -> int:
    """Run one benchmark from the command line (``--projects N``) and print its line."""
    args = parser((doc or "").splitlines()[0], default).parse_args()
    print(run(args.projects)[0])
    return 0


def line(figure: str, text: str, target: str, ok: bool) -> str:
    """One result line in SPEC §6's format: ``Bn: … , target …: ok|short``."""
    return f"{figure}: {text}, target {target}: {'ok' if ok else 'short'}"


@contextmanager
def scratch_sqlite() -> Iterator[Path]:
    """A temporary directory holding a fresh SQLite database file."""
    with tempfile.TemporaryDirectory(prefix="samspill-bench-") as folder:
        yield Path(folder) / "bench.db"


def open_fresh(url: str) -> Workflow:
    """Migrate an empty database at ``url`` and register the shipped definitions."""
    db = Database.from_url(url)
    if not db.is_sqlite:
        from workflow.store.tables import Base

        with db.engine.begin() as conn:
            # migration 0008's full-text tables refer to projects but are no models
            conn.exec_driver_sql("DROP TABLE IF EXISTS search_projects, search_lessons")
            Base.metadata.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    wf = Workflow(db)
    workflow.initialise(wf, Settings(definitions=ROOT / "definitions"))
    return wf


@dataclass(frozen=True)
class Seeded:
    """The people a seeded database holds."""

    owner: workflow.Actor
    gatekeepers: list[workflow.Actor]


def seed_people(wf: Workflow, gatekeepers: int = 4) -> Seeded:
    """One owner and a few gatekeepers (cheap password hashes: nobody logs in)."""
    users = table(User)
    rows = [
        {
            "email": "owner@bench.no",
            "name": "Owner",
            "role": "owner",
            "password_hash": "x",
            "gatekeeper_group": None,
        }
    ]
    rows += [
        {
            "email": f"gk{i}@bench.no",
            "name": f"Gatekeeper {i}",
            "role": "gatekeeper",
            "gatekeeper_group": "kommune" if i % 2 else "ntnu",
            "password_hash": "x",
        }
        for i in range(gatekeepers)
    ]
    with wf.db.write() as conn:
        conn.execute(
            insert(users),
            [dict(r, language="nb", is_active=True, created_at=datetime.now(UTC)) for r in rows],
        )
    owner = workflow.get_actor(wf, email="owner@bench.no")
    return Seeded(
        owner, [workflow.get_actor(wf, email=f"gk{i}@bench.no") for i in range(gatekeepers)]
    )


def seed_projects(
    wf: Workflow,
    owner_id: int,
    count: int,
    *,
    in_review: int = 0,
    stalled_share: float = 0.0,
    now: datetime | None = None,
) -> list[int]:
    """Insert ``count`` projects of the benchmark definition; the last ``in_review`` of them
    are submitted to the first gate. A ``stalled_share`` of them went idle long ago.

    Returns the ids of the projects in review.
    """
    spec = wf.catalog.get(DEFINITION)
    stage = spec.first_stage
    gate = spec.gates_from(stage.key)[0]
    now = now or datetime.now(UTC)
    sla = timedelta(days=stage.sla_days or 30)
    every = int(1 / stalled_share) if stalled_share else 0
    # every tenth project is further on, with a dated deadline somewhere in the next year
    dated = spec.deadlines[0] if spec.deadlines else None
    dated_stage = dated.stages[0] if dated and dated.stages else stage.key
    projects, reviews = table(Project), table(GateReview)
    review_ids: list[int] = []
    with wf.db.write() as conn:
        for start in range(0, count, CHUNK):
            rows = []
            for i in range(start, min(count, start + CHUNK)):
                reviewing = i >= count - in_review
                idle = sla * 3 if every and i % every == 0 else timedelta(hours=i % 48)
                last = now - idle
                fields, at = {}, stage.key
                if dated and i % 10 == 5 and not reviewing:
                    fields = {dated.field: (now + timedelta(days=i % 365)).date().isoformat()}
                    at = dated_stage
                rows.append(
                    {
                        "definition_key": spec.key,
                        "definition_version": spec.version,
                        "title": f"Prosjekt {i}",
                        "summary": "",
                        "fields": fields,
                        "checklist": {},
                        "stage": at,
                        "stage_round": 1,
                        "status": "in_review" if reviewing else "active",
                        "owner_id": owner_id,
                        "version": 1,
                        "created_at": last,
                        "updated_at": last,
                        "stage_entered_at": last,
                        "last_activity_at": last,
                        "stale_at": last + sla,
                        "pending_gate": gate.key if reviewing else None,
                        "audit_seq": 0,
                        "audit_head": "0" * 64,
                    }
                )
            conn.execute(insert(projects), rows)
        if in_review:
            ids = list(range(count - in_review + 1, count + 1))
            conn.execute(
                insert(reviews),
                [
                    {
                        "project_id": pid,
                        "gate_key": gate.key,
                        "stage": stage.key,
                        "submitted_by": owner_id,
                        "submitted_at": now,
                    }
                    for pid in ids
                ],
            )
            from sqlalchemy import select

            review_ids = []
            for pid, rid in conn.execute(select(reviews.c.project_id, reviews.c.id)):
                conn.execute(
                    projects.update().where(projects.c.id == pid).values(pending_review_id=rid)
                )
                review_ids.append(pid)
    return sorted(review_ids)


class Timer:
    """Wall-clock seconds of a block: ``with Timer() as t: …; t.seconds``."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path}"


def cpu_count() -> int:
    """Cores available to this process."""
    return len(os.sched_getaffinity(0))
