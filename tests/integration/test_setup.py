"""Migrations and definition registration: `samspill init` is idempotent and careful."""

from __future__ import annotations

import shutil

import pytest
from alembic import command
from sqlalchemy import inspect

import workflow
from tests.conftest import DATA
from workflow import Database, DefinitionConflict, Settings, Workflow
from workflow.store.migrate import alembic_config


def test_migrations_build_the_models_schema_from_empty(tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'fresh.db'}")
    wf = Workflow(db)

    workflow.initialise(wf, Settings(definitions=DATA))
    workflow.initialise(wf, Settings(definitions=DATA))

    assert "projects" in inspect(db.engine).get_table_names()
    command.check(alembic_config(db.engine))  # raises if models and migrations disagree
    db.dispose()


def test_a_changed_definition_keeping_a_used_version_is_refused(tmp_path, wf, owner):
    folder = tmp_path / "defs"
    folder.mkdir()
    shutil.copy(DATA / "lab.yaml", folder / "lab.yaml")
    workflow.create_project(wf, owner, definition="lab", title="Bruker v1")
    text = (folder / "lab.yaml").read_text().replace("sla_days: 10", "sla_days: 11")
    (folder / "lab.yaml").write_text(text)

    with pytest.raises(DefinitionConflict, match="bump 'version' to 2"):
        workflow.initialise(wf, Settings(definitions=folder))

    (folder / "lab.yaml").write_text(text.replace("version: 1", "version: 2"))
    registered = {
        (r.key, r.version): r.outcome for r in workflow.initialise(wf, Settings(definitions=folder))
    }
    assert registered[("lab", 2)] == "added"


def test_a_project_stays_on_the_version_it_started_on(tmp_path, wf, owner):
    pid = workflow.create_project(wf, owner, definition="lab", title="Gammel")
    folder = tmp_path / "defs"
    folder.mkdir()
    text = (DATA / "lab.yaml").read_text().replace("version: 1", "version: 2")
    (folder / "lab.yaml").write_text(text.replace("sla_days: 10", "sla_days: 99"))

    workflow.initialise(wf, Settings(definitions=folder))
    newer = workflow.create_project(wf, owner, definition="lab", title="Ny")

    assert workflow.get_project(wf, pid).project["definition_version"] == 1
    assert workflow.get_project(wf, newer).project["definition_version"] == 2


def test_an_unchanged_definition_for_an_unused_version_may_be_updated(tmp_path, wf):
    folder = tmp_path / "defs"
    folder.mkdir()
    text = (DATA / "lab.yaml").read_text().replace("sla_days: 10", "sla_days: 12")
    (folder / "lab.yaml").write_text(text)

    (reg,) = workflow.initialise(wf, Settings(definitions=folder))

    assert reg.outcome == "updated"
