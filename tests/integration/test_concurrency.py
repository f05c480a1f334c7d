"""Two gatekeepers deciding the same gate at the same moment: exactly one transition."""

from __future__ import annotations

import threading

import pytest

import workflow
from tests.conftest import GO
from workflow import ConcurrentUpdate, StaleVersion


def run_together(*calls):
    """Run the calls in threads released at the same instant; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_kills_make_one_transition_and_one_conflict(
    wf, kommune, ntnu, submitted_project, attempt
):
    results = run_together(
        lambda: workflow.decide_gate(
            wf, kommune, submitted_project, decision="kill", comment="Nei"
        ),
        lambda: workflow.decide_gate(
            wf, ntnu, submitted_project, decision="recycle", comment="Mer"
        ),
    )

    decided = [r for r in results if isinstance(r, workflow.DecisionResult)]
    conflicts = [r for r in results if isinstance(r, ConcurrentUpdate)]
    assert len(decided) == 1, results
    assert len(conflicts) == 1, results
    events = workflow.project_events(wf, submitted_project)
    assert [e["action"] for e in events].count(
        (decided[0].outcome == "kill" and "killed") or "recycled"
    ) == 1


def test_simultaneous_go_votes_from_both_groups_pass_the_gate_once(
    wf, kommune, ntnu, submitted_project
):
    results = run_together(
        lambda: workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO),
        lambda: workflow.decide_gate(wf, ntnu, submitted_project, decision="go", scores=GO),
    )

    assert all(isinstance(r, workflow.DecisionResult) for r in results), results
    assert sorted(r.decided for r in results) == [False, True]
    view = workflow.get_project(wf, submitted_project)
    assert (view.project["stage"], view.project["status"]) == ("build", "active")
    actions = [e["action"] for e in workflow.project_events(wf, submitted_project)]
    assert actions.count("gate_passed") == 1


def test_a_stale_expected_version_is_refused(wf, owner, ready_project):
    version = workflow.get_project(wf, ready_project).project["version"]
    workflow.update_project(wf, owner, ready_project, expected_version=version, title="Ny")

    with pytest.raises(StaleVersion, match=f"not {version}"):
        workflow.update_project(wf, owner, ready_project, expected_version=version, title="Eldre")

    assert workflow.get_project(wf, ready_project).project["title"] == "Ny"


def test_many_writers_on_one_project_lose_no_update(wf, owner, ready_project):
    def rename(i):
        return lambda: workflow.update_project(wf, owner, ready_project, title=f"Navn {i}")

    results = run_together(*(rename(i) for i in range(6)))

    assert all(isinstance(r, int) for r in results), results
    events = workflow.project_events(wf, ready_project)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert sum(e["action"] == "edited" for e in events) == 6
