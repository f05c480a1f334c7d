"""Lessons learned and full-text search (SPEC §2c, §4b, §7 Search): the write pipeline, the
mail asking for a lesson at a kill, the owner's lesson task, the requirement kind, and search
kept in sync by the database, finding Norwegian inflections and folding every letter."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text, update

import workflow
from workflow import InvalidInput, PermissionDenied, StaleVersion, TransitionNotAllowed
from workflow.queries.lessons import lesson_tasks
from workflow.queries.search import fts5_match, snippet_html, stem
from workflow.requirements.base import ProjectFacts
from workflow.requirements.lesson import KIND
from workflow.store.tables import events, outbox, projects


def killed(wf, kommune, owner, pid: int) -> int:
    workflow.submit_project(wf, owner, pid)
    workflow.decide_gate(wf, kommune, pid, decision="kill", comment="Nei")
    return pid


def test_a_kill_asks_the_owner_for_a_lesson_and_the_lesson_goes_through_the_pipeline(
    wf, owner, other_owner, kommune, ready_project
):
    pid = killed(wf, kommune, owner, ready_project)
    with wf.db.read() as conn:
        subjects = [
            r.subject for r in conn.execute(select(outbox).where(outbox.c.project_id == pid))
        ]
        assert any(s.startswith("Hva lærte dere?") for s in subjects)
        assert lesson_tasks(conn, owner.id, wf.today()) == [
            {
                "kind": "lesson",
                "project_id": pid,
                "project_title": "Digital hjemmeoppfølging",
                "due_on": None,
                "ref_id": None,
            }
        ]
    version = workflow.get_lesson(wf, pid)["version"]
    with pytest.raises(PermissionDenied):
        workflow.write_lesson(wf, other_owner, pid, worked="x", expected_version=version)
    with pytest.raises(InvalidInput) as bad:
        workflow.write_lesson(wf, owner, pid, tags=["x" * 51], expected_version=version)
    assert set(bad.value.fields) == {"tags"}
    with pytest.raises(InvalidInput) as empty:
        workflow.write_lesson(wf, owner, pid, expected_version=version)
    assert set(empty.value.fields) == {"worked"}
    new = workflow.write_lesson(
        wf,
        owner,
        pid,
        worked="Tidlig dialog med brukerne",
        did_not_work="Offentlige anskaffelser tok for lang tid",
        advice="Start anskaffelsen tidlig",
        tags=["anskaffelse", "anskaffelse", "velferd"],
        expected_version=version,
    )
    assert new == version + 1
    with pytest.raises(StaleVersion):
        workflow.write_lesson(wf, owner, pid, worked="igjen", expected_version=version)
    lesson = workflow.get_lesson(wf, pid)["lesson"]
    assert lesson["tags"] == ["anskaffelse", "velferd"]
    assert lesson["written_by_name"] == owner.name
    with wf.db.read() as conn:
        assert lesson_tasks(conn, owner.id, wf.today()) == []
        actions = [r.action for r in conn.execute(select(events).where(events.c.project_id == pid))]
    assert actions[-1] == "lesson_written"
    page = workflow.list_lessons(wf, definition="lab")
    assert [i["project_id"] for i in page.items] == [pid]
    assert page.total == 1
    assert workflow.list_lessons(wf, definition="nope").total == 0
    # search finds the lesson by an inflected word, in any case
    hits = workflow.search(wf, "ANSKAFFELSE", kind="lesson").items
    assert [(h["kind"], h["project_id"]) for h in hits] == [("lesson", pid)]
    assert "\x02" in hits[0]["snippet"]


def test_a_lesson_is_frozen_in_review(wf, owner, submitted_project):
    version = workflow.get_lesson(wf, submitted_project)["version"]
    with pytest.raises(TransitionNotAllowed):
        workflow.write_lesson(wf, owner, submitted_project, worked="x", expected_version=version)


def test_search_is_kept_in_sync_by_the_database_and_finds_inflections(wf, owner):
    a = workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Innovative anskaffelser i helse",
        summary="Læring på tvers av sektorer",
        fields={"need": "Velferdsteknologi for hjemmetjenesten"},
    )
    b = workflow.create_project(wf, owner, definition="lab", title="Sykkelveier")
    assert [h["project_id"] for h in workflow.search(wf, "anskaffelse").items] == [a]
    assert [h["project_id"] for h in workflow.search(wf, "LÆRING").items] == [a]
    assert [h["project_id"] for h in workflow.search(wf, "velferdsteknologi").items] == [a]
    # a raw SQL write (as the decision hot path does) is indexed by the database
    with wf.db.write() as conn:
        conn.execute(update(projects).where(projects.c.id == b).values(title="Sykkelanskaffelser"))
        conn.execute(text("UPDATE projects SET summary = 'Bysykler' WHERE id = :i"), {"i": a})
    assert workflow.search(wf, "læring").items == []
    assert [h["project_id"] for h in workflow.search(wf, "sykkelanskaffelse").items] == [b]
    assert workflow.search(wf, "anskaffelser", per_page=1).total == 1  # not in a compound
    with pytest.raises(InvalidInput) as bad:
        workflow.search(wf, "x" * 201, kind="budget")
    assert set(bad.value.fields) == {"q", "kind"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_no_text_makes_the_search_fail(wf, query):
    if query.strip():
        page = workflow.search(wf, query)
        assert page.total >= 0


def test_the_snippet_is_escaped_before_it_is_marked():
    assert snippet_html("<b>\x02x\x03</b>") == "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"
    assert stem("Anskaffelsene") == stem("anskaffelser") == "anskaffels"
    assert fts5_match('a" NEAR(*) -"b') == '"a"* "near"* "b"*'


def test_requires_lesson_is_met_only_with_a_lesson():
    gate = type("G", (), {"requires": type("R", (), {"lesson": True})()})()
    met = [c.met for c in KIND.evaluate(None, gate, ProjectFacts({}, frozenset(), has_lesson=True))]
    unmet = [c.code for c in KIND.evaluate(None, gate, ProjectFacts({}, frozenset()))]
    assert met == [True]
    assert unmet == ["lesson_missing"]


def test_the_migration_indexes_the_projects_already_there(wf, owner):
    from alembic import command

    from workflow.store.migrate import alembic_config, upgrade

    pid = workflow.create_project(wf, owner, definition="lab", title="Gamle anskaffelser")
    config = alembic_config(wf.db.engine)
    with wf.db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")  # before lessons and search
        conn.commit()
    upgrade(wf.db.engine)
    assert [h["project_id"] for h in workflow.search(wf, "anskaffelse").items] == [pid]


def test_the_portfolio_filter_q_finds_inflections_too(wf, owner):
    """``q`` keeps its substring match and, for plain words, adds the full-text index: another
    inflection of a word finds the project; a word nowhere does not."""
    pid = workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Innovativ anskaffelse av velferdsteknologi",
        summary="Kort",
    )
    workflow.create_project(wf, owner, definition="lab", title="Noe annet helt")

    def found(q: str) -> list[int]:
        return [p["id"] for p in workflow.list_projects(wf, workflow.ProjectFilter(q=q)).items]

    assert found("anskaffelse") == [pid]  # the substring, as before
    assert found("anskaffelser") == [pid]  # an inflection no substring match finds
    assert found("ANSKAFFELSER") == [pid]
    assert found("sykkelvei") == []
    # anything but words is a literal substring, as before (never full-text query syntax)
    assert found('"anskaffelser*') == []
    assert found("anskaffelse av") == [pid]
