"""B7: full-text search over 100,000 projects and 20,000 lessons learned (SPEC §6).

Projects are written from B6's 40 Norwegian topics in inflected and compound forms; every
fifth one has a lesson learned written from its topic as well. 200 searches, each one of the
topics' words inflected (``anskaffelser`` for ``anskaffelse``), run through
``workflow.search`` (ranked page of 20 with snippets and the total) and, in the same run, as
the ``LIKE`` scan search used to be (title, summary and the lessons' texts contain the
word; the first 20 and the total) over the same data; p95 of each.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

import workflow
from bench.b6_suggestions import TOPICS, _words, project_text
from bench.common import (
    CHUNK,
    DEFINITION,
    line,
    main,
    open_fresh,
    scratch_sqlite,
    seed_people,
    sqlite_url,
)
from workflow.store.tables import Lesson, Project, table

LESSON_SHARE = 5  # every fifth project has a lesson: 20,000 at 100,000
SEARCHES = 200
TARGET_MS = 30.0
INFLECT = ("er", "en", "ene", "")

LIKE = (
    "SELECT id FROM ("
    " SELECT id FROM projects WHERE title LIKE :p OR summary LIKE :p"
    " UNION ALL SELECT project_id AS id FROM lessons"
    " WHERE worked LIKE :p OR did_not_work LIKE :p OR advice LIKE :p) h"
)


def seed(wf: workflow.Workflow, projects: int, rng: random.Random) -> None:
    """Projects from the topics and every fifth one's lesson, inserted in chunks (the
    database's triggers index them as they go in)."""
    owner = seed_people(wf).owner
    spec = wf.catalog.get(DEFINITION)
    names = list(TOPICS)
    now = datetime.now(UTC)
    rows, lessons = [], []
    for i in range(projects):
        topic = rng.choice(names)
        words = rng.sample(_words(topic), 4)
        title, summary = project_text(words, rng)
        last = now - timedelta(hours=i % 500)
        has_lesson = i % LESSON_SHARE == 0
        rows.append(
            {
                "definition_key": spec.key,
                "definition_version": spec.version,
                "title": title,
                "summary": summary,
                "thematic_area": TOPICS[topic][0],
                "fields": {},
                "checklist": {},
                "stage": spec.first_stage.key,
                "stage_round": 1,
                "status": "completed" if has_lesson else "active",
                "owner_id": owner.id,
                "version": 1,
                "created_at": last,
                "updated_at": last,
                "stage_entered_at": last,
                "last_activity_at": last,
                "stale_at": None,
                "pending_gate": None,
                "audit_seq": 0,
                "audit_head": "0" * 64,
            }
        )
        if has_lesson:
            other = rng.sample(_words(topic), 3)
            lessons.append(
                {
                    "project_id": i + 1,
                    "worked": f"Samarbeidet om {other[0]}er fungerte godt.",
                    "did_not_work": f"Arbeidet med {other[1]} tok lengre tid enn planlagt.",
                    "advice": f"Start tidlig med {other[2]}en og involver brukerne.",
                    "tags": [topic],
                    "written_by": owner.id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    with wf.db.write() as conn:
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(table(Project)), rows[start : start + CHUNK])
        for start in range(0, len(lessons), CHUNK):
            conn.execute(insert(table(Lesson)), lessons[start : start + CHUNK])


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return times[max(0, int(len(times) * 0.95) - 1)]


def run(projects: int) -> tuple[str, bool]:
    """Seed, then time the full-text search and the LIKE scan on the same queries."""
    rng = random.Random(7)
    words = [w for topic in TOPICS for w in _words(topic) if len(w) >= 5]
    queries = [rng.choice(words) + rng.choice(INFLECT) for _ in range(SEARCHES)]
    with scratch_sqlite() as path:
        wf = open_fresh(sqlite_url(path))
        seed(wf, projects, rng)
        lessons = projects // LESSON_SHARE + (1 if projects % LESSON_SHARE else 0)
        workflow.search(wf, queries[0])  # warm the page cache alike for both
        fts, like, hits = [], [], []
        for q in queries:
            start = time.perf_counter()
            page = workflow.search(wf, q, per_page=20)
            fts.append((time.perf_counter() - start) * 1000)
            hits.append(page.total)
            start = time.perf_counter()
            with wf.db.read() as conn:
                pattern = f"%{q}%"
                conn.execute(text(f"SELECT count(*) FROM ({LIKE}) c"), {"p": pattern}).scalar()
                conn.execute(text(f"{LIKE} LIMIT 20"), {"p": pattern}).all()
            like.append((time.perf_counter() - start) * 1000)
        wf.db.dispose()
    p95 = _p95(fts)
    ok = p95 < TARGET_MS
    return (
        line(
            "B7",
            f"p95 {p95:.1f} ms over {projects} projects and {lessons} lessons (median "
            f"{statistics.median(fts):.1f} ms, {statistics.median(hits):.0f} hits) vs LIKE scan "
            f"p95 {_p95(like):.1f} ms (median {statistics.median(like):.1f} ms)",
            f"< {TARGET_MS:.0f} ms",
            ok,
        ),
        ok,
    )


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 100_000))
