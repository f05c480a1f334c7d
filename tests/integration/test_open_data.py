"""The public portfolio's decisions (issue #17): a coordinator publishes and unpublishes a
project through the write pipeline; only published projects are listed, without persons."""

from __future__ import annotations

import pytest

import workflow
from tests.conftest import GO
from workflow import PermissionDenied, StaleVersion, TransitionNotAllowed


def test_a_coordinator_publishes_and_unpublishes_as_audited_changes(
    wf, coordinator, owner, ready_project
):
    version = workflow.get_project(wf, ready_project).project["version"]
    assert workflow.open_projects(wf).total == 0
    with pytest.raises(StaleVersion):
        workflow.publish_project(wf, coordinator, ready_project, expected_version=version + 5)
    new = workflow.publish_project(wf, coordinator, ready_project, expected_version=version)
    assert new == version + 1
    page = workflow.open_projects(wf)
    assert [p["id"] for p in page.items] == [ready_project]
    item = page.items[0]
    assert item["partners"] == ["NTNU Institutt for datateknologi"]
    assert item["benefits"] == []
    assert item["collaboration_form"]["nb"]
    assert "owner_id" not in item
    with pytest.raises(TransitionNotAllowed):
        workflow.publish_project(wf, coordinator, ready_project)
    workflow.unpublish_project(wf, coordinator, ready_project)
    assert workflow.open_projects(wf).total == 0
    actions = [e["action"] for e in workflow.project_events(wf, ready_project)]
    assert actions[-2:] == ["published", "unpublished"]
    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []


def test_only_coordinators_publish(wf, owner, ready_project):
    with pytest.raises(PermissionDenied):
        workflow.publish_project(wf, owner, ready_project)


def test_the_decision_hot_path_keeps_a_published_project_published(
    wf, coordinator, kommune, ntnu, submitted_project
):
    workflow.publish_project(wf, coordinator, submitted_project)
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    workflow.decide_gate(wf, ntnu, submitted_project, decision="go", scores=GO)
    [item] = workflow.open_projects(wf).items
    assert item["stage"] != "idea"
    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []
