"""Migrations and definition registration: `samspill init` is idempotent and careful."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import inspect, text

import workflow
from tests.conftest import DATA, ROOT, empty_tables, make_workflow
from workflow import Database, DefinitionConflict, Settings, Workflow
from workflow.store.migrate import alembic_config, upgrade


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


def test_the_login_security_migration_keeps_users_and_gives_old_tokens_an_expiry(db):
    empty_tables(db)
    config = alembic_config(db.engine)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")  # just before login security
        conn.commit()
    try:
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, role, password_hash, language,"
                    " is_active, failed_logins, created_at) VALUES (1, 'a@b.no', 'A', 'owner',"
                    " 'x', 'nb', true, 3, '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO api_tokens (user_id, token_hash, prefix, created_at)"
                    " VALUES (1, 'h', 'sam_old', '2026-01-01 00:00:00')"
                )
            )
    finally:
        upgrade(db.engine)  # the other tests need the newest schema, whatever happened here

    wf = Workflow(db)
    with db.engine.connect() as conn:
        expires = conn.execute(text("SELECT expires_at FROM api_tokens")).scalar_one()
        generation = conn.execute(text("SELECT session_generation FROM users")).scalar_one()
    expires = expires if isinstance(expires, datetime) else datetime.fromisoformat(expires)
    expires = expires.replace(tzinfo=expires.tzinfo or UTC)
    assert abs(expires - (datetime.now(UTC) + timedelta(days=90))) < timedelta(minutes=5)
    assert generation == 0
    assert workflow.actor_for_session(wf, 1, 0) is not None


IPO_V1 = ROOT / "definitions" / "versions" / "ipo.v1.yaml"


def test_an_ipo_v1_project_keeps_working_after_ipo_v2_is_registered(db, tmp_path):
    """ipo v2 moved the funding stage to the funding module; v1 keeps only its database copy
    (``definition_versions.source``) and a project started on it runs on as before. (The
    shipped ipo.yaml is v3 since issue #16: the newest version is what a new project gets.)"""
    wf = make_workflow(db, IPO_V1)
    assert wf.catalog.get("ipo").version == 1
    owner = _user(wf, "owner", "eier@ipo.example")
    kommune = _user(wf, "gatekeeper", "kommune@ipo.example", group="kommune")
    ntnu = _user(wf, "gatekeeper", "ntnu@ipo.example", group="ntnu")
    research = workflow.add_organisation(wf, None, name="Forskningsinstitutt", type="research")
    old = workflow.create_project(
        wf, owner, definition="ipo", title="Startet på v1", fields={"need": "Et behov"}
    )
    for item in ("need_described", "owner_anchored", "research_need_identified"):
        workflow.set_checklist_item(wf, owner, old, item, True)

    registered = {
        (r.key, r.version): r.outcome
        for r in workflow.initialise(wf, Settings(definitions=ROOT / "definitions"))
    }

    assert registered[("ipo", 3)] == "added"
    assert wf.catalog.get("ipo").version == 3
    assert wf.catalog.get("ipo", 1).has_field("own_share")
    # the old project moves on under v1's gates and fields
    workflow.submit_project(wf, owner, old)
    scores = {"need": 4, "novelty": 4, "anchoring": 4}
    workflow.decide_gate(wf, kommune, old, decision="go", scores=scores)
    workflow.decide_gate(wf, ntnu, old, decision="go", scores=scores)
    workflow.update_project(
        wf, owner, old, fields={"call": "IPO 2025", "budget": 1_000_000, "own_share": 400_000}
    )
    workflow.add_partner(wf, owner, old, organisation_id=research, role="FoU-partner")
    view = workflow.get_project(wf, old)
    assert (view.project["definition_version"], view.project["stage"]) == (1, "partner_matching")
    (gate,) = view.next_gates
    compare = [c for c in gate["requires"] if c["kind"] == "compare"]
    assert [c["met"] for c in compare] == [False]  # v1's fixed 50 % rule still applies
    assert {c["key"] for c in gate["requires"] if c["kind"] == "partners"} == {"research"}
    # a new project starts on the newest version, without v1's free funding fields
    new = workflow.create_project(wf, owner, definition="ipo", title="Startet på v3")
    assert workflow.get_project(wf, new).project["definition_version"] == 3
    assert not wf.catalog.get("ipo").has_field("own_share")
    # registering again changes nothing, and both versions stay loadable after a reload
    again = workflow.initialise(wf, Settings(definitions=ROOT / "definitions"))
    assert {r.outcome for r in again if r.key == "ipo"} == {"unchanged"}
    wf.reload_definitions()
    assert wf.catalog.get("ipo", 1).version == 1


def _user(wf: Workflow, role: str, email: str, group: str | None = None) -> workflow.Actor:
    workflow.add_user(wf, email=email, name=email, role=role, password="x" * 12, group=group)
    return workflow.get_actor(wf, email=email)


def test_the_project_room_migration_adds_its_tables_and_goes_back_cleanly(db, tmp_path):
    if db.is_sqlite:  # a database of its own: the shared one has been down and up already
        db = Database.from_url(f"sqlite:///{tmp_path / 'room.db'}")
        upgrade(db.engine)
    empty_tables(db)
    config = alembic_config(db.engine)
    try:
        with db.engine.connect() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")  # just before the project room
            conn.commit()
            assert "comments" not in inspect(conn).get_table_names()
    finally:
        upgrade(db.engine)  # the other tests need the newest schema, whatever happened here
    names = set(inspect(db.engine).get_table_names())
    assert {"comments", "mentions", "questions", "follow_ups"} <= names
    indexes = {i["name"] for i in inspect(db.engine).get_indexes("comments")}
    if db.is_sqlite:
        db.dispose()
    assert "ix_comments_project_id_id" in indexes


def test_the_governance_migration_seeds_the_thematic_areas_with_smartby_ended(db):
    empty_tables(db)
    config = alembic_config(db.engine)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")  # just before governance
        conn.commit()
    upgrade(db.engine)

    wf = Workflow(db)
    wf.clock = lambda: datetime(2026, 12, 4, tzinfo=UTC)
    keys = [a["key"] for a in workflow.list_thematic_areas(wf, valid_on=wf.today())]
    assert keys == ["byutvikling", "helse_velferd", "innovasjon", "oppvekst_utdanning", "unikom"]
    assert "smartby" in [a["key"] for a in workflow.list_thematic_areas(wf)]
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(substitute_for) FROM votes")).scalar_one() == 0


def test_the_search_triggers_on_projects_survive_every_later_migration_both_ways(tmp_path):
    """A batch copy of ``projects`` on SQLite drops its triggers: no later migration may
    make one, upgrading or downgrading (the full-text index would silently go stale)."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'fresh.db'}")
    workflow.initialise(Workflow(db), Settings(definitions=DATA))
    expected = {"search_projects_ai", "search_projects_au", "search_projects_ad"}

    def triggers() -> set[str]:
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return {name for (name,) in rows}

    assert expected <= triggers()
    config = alembic_config(db.engine)
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")
        conn.commit()
    assert expected <= triggers()
    workflow.initialise(Workflow(db), Settings(definitions=DATA))
    assert expected <= triggers()
    db.dispose()
