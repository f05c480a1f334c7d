"""SPEC §7 (kept): a process killed with SIGKILL in the middle of a burst of decisions
leaves every change whole — `samspill audit verify` passes, and each project's stage,
status and votes are what its events replay to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from click.testing import CliRunner

import workflow
from tests.conftest import GO, ROOT
from webapp.cli import main
from workflow.store.audit_keys import DEVELOPMENT_KEY

#: enough that neither burst can finish while the other is read to its first tenth
PROJECTS = 150
#: a gatekeeper's burst: a go vote on each project, in order
BURST = f"""
import sys
import workflow
url, voter, *ids = sys.argv[1:]
wf = workflow.Workflow(workflow.Database.from_url(url))
wf.reload_definitions()
gatekeeper = workflow.get_actor(wf, user_id=int(voter))
print("ready", flush=True)
for pid in ids:
    workflow.decide_gate(wf, gatekeeper, int(pid), decision="go", scores={GO!r})
    print(pid, flush=True)
"""


def _submitted(wf, owner, org, count):
    ids = []
    for i in range(count):
        pid = workflow.create_project(
            wf,
            owner,
            definition="lab",
            title=f"Prosjekt {i}",
            fields={"need": "Behov", "budget": 1000, "own_share": 600},
        )
        workflow.set_checklist_item(wf, owner, pid, "need_described", True)
        workflow.add_partner(wf, owner, pid, organisation_id=org, role="FoU")
        workflow.submit_project(wf, owner, pid)
        ids.append(pid)
    return ids


def test_kill_9_during_a_burst_of_decisions_leaves_a_trail_that_verifies(
    wf, db, owner, kommune, ntnu, research_org
):
    ids = _submitted(wf, owner, research_org, PROJECTS)
    url = db.engine.url.render_as_string(hide_password=False)
    bursts = [
        subprocess.Popen(
            [sys.executable, "-c", BURST, url, str(voter.id), *map(str, ids)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for voter in (kommune, ntnu)
    ]
    for burst in bursts:
        assert burst.stdout.readline().strip() == "ready"
    for burst in bursts:  # both well into their bursts, then no warning
        for _ in range(PROJECTS // 10):
            assert burst.stdout.readline(), "a burst ended before it was killed"
    for burst in bursts:
        os.kill(burst.pid, signal.SIGKILL)
    for burst in bursts:
        burst.wait(timeout=30)
        burst.stdout.close()

    assert all(b.returncode == -signal.SIGKILL for b in bursts)
    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []
    states = {workflow.get_project(wf, pid).project["stage"] for pid in ids}
    assert "build" in states  # both voted on the first ones: those passed the gate
    verified = CliRunner().invoke(
        main,
        ["audit", "verify"],
        env={"SAMSPILL_DATABASE_URL": url, "SAMSPILL_AUDIT_KEY": DEVELOPMENT_KEY},
    )
    assert verified.exit_code == 0, verified.output
    assert "stage, status and votes agree" in verified.output
