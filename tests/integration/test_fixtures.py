"""The test fixtures themselves: a PostgreSQL database per run, a pinned clock.

Each test here runs pytest on a one-test probe file in a child process, as a second run
on the same machine would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

import workflow
from tests.conftest import EPOCH, ROOT, make_workflow, pinned_clock

PROBE = """
import os
from pathlib import Path

from tests.conftest import make_workflow


def test_probe(postgres_db):
    make_workflow(postgres_db)  # empties every table of the run's database
    Path(os.environ["PROBE_OUT"]).write_text(postgres_db.engine.url.database)
"""


def run_probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the probe test in a child pytest with ``env`` added to this one's."""
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p"]
    command += ["tests.conftest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT)]
    child_env = {**os.environ, "PROBE_OUT": str(tmp_path / "database"), **env}
    return subprocess.run(
        [*command, str(probe)], cwd=ROOT, env=child_env, capture_output=True, text=True
    )


def databases(db: workflow.Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.execute(text("SELECT datname FROM pg_database")).scalars())


@pytest.mark.postgres
def test_a_second_run_gets_its_own_database_and_drops_it(postgres_db, tmp_path):
    wf = make_workflow(postgres_db)
    workflow.add_organisation(wf, None, name="NTNU", type="research")

    child = run_probe(tmp_path)

    assert child.returncode == 0, child.stdout + child.stderr
    theirs = (tmp_path / "database").read_text()
    assert postgres_db.engine.url.database == f"samspill_test_{os.getpid()}"
    assert theirs.startswith("samspill_test_")
    assert theirs != postgres_db.engine.url.database
    assert theirs not in databases(postgres_db)
    assert [o["name"] for o in workflow.list_organisations(wf).items] == ["NTNU"]


@pytest.mark.parametrize(
    ("ci", "returncode", "says"),
    [("true", 1, "(CI must test PostgreSQL)"), ("", 0, "SKIPPING POSTGRESQL TESTS")],
)
def test_an_unreachable_postgresql_fails_in_ci_and_skips_elsewhere(tmp_path, ci, returncode, says):
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/nowhere"

    child = run_probe(tmp_path, SAMSPILL_TEST_POSTGRES_URL=unreachable, CI=ci)

    assert child.returncode == returncode, child.stdout + child.stderr
    assert says in child.stdout
    assert not (tmp_path / "database").exists()


def test_the_pinned_clock_starts_at_the_epoch_and_runs_on():
    clock = pinned_clock()

    first, second = clock(), clock()

    assert EPOCH <= first <= second
    assert (second - EPOCH).total_seconds() < 60
