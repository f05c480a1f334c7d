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


def test_the_open_data_migration_keeps_projects_and_leaves_them_unpublished(
    wf, owner, ready_project
):
    from alembic import command
    from sqlalchemy import inspect, text

    from workflow.store.migrate import alembic_config, upgrade

    config = alembic_config(wf.db.engine)
    with wf.db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")  # just before open data
        conn.commit()
    try:
        columns = {c["name"] for c in inspect(wf.db.engine).get_columns("projects")}
        assert "published" not in columns
        assert "account_events" not in inspect(wf.db.engine).get_table_names()
    finally:
        upgrade(wf.db.engine)  # the other tests need the newest schema, whatever happened here
    with wf.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, published, published_at FROM projects")).all()
    assert [(r[0], bool(r[1]), r[2]) for r in rows] == [(ready_project, False, None)]
    assert workflow.open_projects(wf).total == 0
