"""B2: ``samspill check`` over 100,000 projects, 1 % of them stalled: time and peak memory.

The command runs as its own process (as cron or an operator would run it), so the figure
includes interpreter start-up; its peak resident memory is read from the kernel.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys

from bench.common import (
    ROOT,
    Timer,
    line,
    main,
    open_fresh,
    scratch_sqlite,
    seed_people,
    seed_projects,
    sqlite_url,
)

SECONDS, MEGABYTES = 1.0, 300


def run(projects: int) -> tuple[str, bool]:
    """Seed ``projects`` (1 % idle past their SLA), run the check once, return the line."""
    with scratch_sqlite() as path:
        wf = open_fresh(sqlite_url(path))
        people = seed_people(wf)
        seed_projects(wf, people.owner.id, projects, stalled_share=0.01)
        wf.db.dispose()
        env = dict(
            os.environ,
            SAMSPILL_DATABASE_URL=sqlite_url(path),
            SAMSPILL_DEFINITIONS=str(ROOT / "definitions"),
        )
        env.pop("SAMSPILL_SMTP_URL", None)
        command = [sys.executable, "-m", "webapp.cli", "check"]
        with Timer() as startup:
            subprocess.run([*command, "--help"], env=env, capture_output=True, check=True)
        with Timer() as t:
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"samspill check failed: {done.stderr}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        flagged = _flagged(done.stdout)
    ok = t.seconds < SECONDS and peak < MEGABYTES
    text = (
        f"samspill check over {projects:,} projects in {t.seconds:.2f} s "
        f"(of which {startup.seconds:.2f} s interpreter and imports), peak {peak:.0f} MB, "
        f"{flagged} flagged"
    )
    return line("B2", text, f"< {SECONDS:.0f} s and < {MEGABYTES} MB", ok), ok


def _flagged(output: str) -> str:
    for text in output.splitlines():
        if "flagged" in text:
            return text.split("flagged")[0].split(":")[-1].strip().split(",")[-1].strip()
    return "?"


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 100_000))
