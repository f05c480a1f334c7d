"""Benefit realisation: the plan, measurements as a series, who may write, the rules, the
requirement kinds, the benefit owner's tasks, the flag and the portfolio sums (SPEC §2b,
§2c, §4b; DOMAIN §6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select, update

import workflow
from tests.conftest import make_workflow
from workflow import InvalidInput, NotFound, PermissionDenied, StaleVersion, TransitionNotAllowed
from workflow.queries.benefits import benefit_sums, flagged_projects, measurement_tasks
from workflow.store.migrate import alembic_config, upgrade
from workflow.store.tables import events, projects

PLAN = """
key: gev
version: 1
title: {nb: Gevinster, en: Benefits}
description: {nb: Til tester., en: For tests.}
stages:
  - key: plan
    title: {nb: Planlegge, en: Plan}
    sla_days: 90
    guidance: {nb: Planlegg., en: Plan.}
  - key: effect
    title: {nb: Effekt, en: Effect}
    sla_days: 90
    guidance: {nb: Mål., en: Measure.}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - key: execute
    from: plan
    to: effect
    title: {nb: BP3, en: DP3}
    requires:
      benefits: {min: 1, baseline: true, target: true, owner: true}
  - key: close
    from: effect
    to: done
    title: {nb: BP6, en: DP6}
    requires:
      measurements: {after_target: true}
"""

# the test clock's today is 2026-11-02
BENEFIT = {
    "description": "Færre timer brukt på manuell registrering",
    "type": "efficiency",
    "chain_link": "user_effect",
    "indicator": "Timer per uke",
    "unit": "timer",
    "change_on": "2026-09-01",
    "baseline": {"value": 40, "on": "2026-08-01"},
    "target": {"value": 10, "on": "2026-10-01"},
    "nok_per_year": 350_000,
}


def set_status(wf, project_id: int, status: str) -> None:
    with wf.db.write() as conn:
        conn.execute(update(projects).where(projects.c.id == project_id).values(status=status))


@pytest.fixture
def project(wf, owner) -> int:
    return workflow.create_project(wf, owner, definition="lab", title="Digital registrering")


@pytest.fixture
def line_manager(create_user):
    return create_user("owner", name="Lina Leder")


def test_a_plan_with_a_series_of_measurements_oldest_first_and_audited(
    wf, owner, line_manager, project
):
    bid = workflow.add_benefit(wf, owner, project, owner_id=line_manager.id, **BENEFIT)
    workflow.record_measurement(wf, line_manager, project, bid, value=30, measured_on="2026-09-15")
    workflow.record_measurement(wf, owner, project, bid, value="35,5", measured_on="2026-08-20")

    plan = workflow.project_benefits(wf, project)
    (b,) = plan.items
    assert (b["baseline_value"], b["baseline_on"]) == (40, date(2026, 8, 1))
    assert (b["target_value"], b["target_on"], b["owner_name"]) == (
        10,
        date(2026, 10, 1),
        "Lina Leder",
    )
    assert [m["value"] for m in b["measurements"]] == [35.5, 30]
    assert b["unexpected"] is False
    assert b["unmeasured_after_target"] is True
    assert plan.flagged
    assert plan.version == 4
    with wf.db.read() as conn:
        actions = list(
            conn.execute(
                select(events.c.action).where(events.c.project_id == project).order_by(events.c.seq)
            ).scalars()
        )
    assert actions == ["created", "benefit_added", "measurement_recorded", "measurement_recorded"]


def test_the_rules_baseline_before_change_numbers_dates_and_explained_deviation(wf, owner, project):
    with pytest.raises(InvalidInput) as late:
        workflow.add_benefit(wf, owner, project, **{**BENEFIT, "change_on": "2026-08-01"})
    assert late.value.fields["baseline.on"].code == "baseline_not_before_change"
    with pytest.raises(InvalidInput) as bad:
        workflow.add_benefit(
            wf,
            owner,
            project,
            **{**BENEFIT, "type": "x", "baseline": {"value": "mye", "on": "2026-13-01"}},
        )
    assert {"type", "baseline.value", "baseline.on"} <= set(bad.value.fields)
    bid = workflow.add_benefit(wf, owner, project, **BENEFIT)
    with pytest.raises(InvalidInput) as nan:
        workflow.record_measurement(wf, owner, project, bid, value="nan", measured_on="x")
    assert {"value", "measured_on"} == set(nan.value.fields)
    # the target goes down (40 → 10): 12 on the target date misses it and must be explained
    with pytest.raises(InvalidInput) as unexplained:
        workflow.record_measurement(wf, owner, project, bid, value=12, measured_on="2026-10-01")
    assert unexplained.value.fields["comment"].code == "deviation_needs_comment"
    workflow.record_measurement(
        wf,
        owner,
        project,
        bid,
        value=12,
        measured_on="2026-10-01",
        comment="Ny rutine sent i drift",
    )
    workflow.record_measurement(wf, owner, project, bid, value=9, measured_on="2026-10-20")
    assert workflow.project_benefits(wf, project).items[0]["reached"] is True


def test_who_may_write_and_the_project_status_rules(wf, owner, other_owner, line_manager, project):
    with pytest.raises(PermissionDenied):
        workflow.add_benefit(wf, other_owner, project, **BENEFIT)
    bid = workflow.add_benefit(wf, owner, project, owner_id=line_manager.id, **BENEFIT)
    with pytest.raises(PermissionDenied):
        workflow.record_measurement(
            wf, other_owner, project, bid, value=1, measured_on="2026-09-02"
        )
    version = workflow.edit_benefit(wf, line_manager, project, bid, indicator="Timer i uka")
    with pytest.raises(StaleVersion):
        workflow.edit_benefit(wf, owner, project, bid, unit="t", expected_version=version - 1)
    with pytest.raises(NotFound):
        workflow.edit_benefit(wf, owner, project, bid + 99, unit="t")
    with pytest.raises(InvalidInput) as nobody:
        workflow.edit_benefit(wf, owner, project, bid, owner_id=99999)
    assert nobody.value.fields["owner_id"].code == "no_user"

    set_status(wf, project, "in_review")
    with pytest.raises(TransitionNotAllowed):
        workflow.record_measurement(wf, owner, project, bid, value=1, measured_on="2026-09-02")
    set_status(wf, project, "completed")
    with pytest.raises(TransitionNotAllowed):
        workflow.add_benefit(wf, owner, project, **BENEFIT)
    # measurements go on after completion
    workflow.record_measurement(wf, line_manager, project, bid, value=8, measured_on="2026-10-05")
    set_status(wf, project, "killed")
    with pytest.raises(TransitionNotAllowed):
        workflow.record_measurement(wf, owner, project, bid, value=8, measured_on="2026-10-06")


def test_a_benefit_added_after_the_change_took_effect_is_unexpected(wf, owner, project):
    workflow.add_benefit(wf, owner, project, **BENEFIT)
    later = workflow.add_benefit(
        wf,
        owner,
        project,
        **{**BENEFIT, "type": "other_actors", "description": "Bedre data for NAV"},
    )
    plan = workflow.project_benefits(wf, project)
    assert [b["unexpected"] for b in plan.items] == [False, True]
    assert plan.items[1]["id"] == later


def test_tasks_flag_and_portfolio_sums(wf, owner, line_manager, project):
    bid = workflow.add_benefit(wf, owner, project, owner_id=line_manager.id, **BENEFIT)
    soon = workflow.add_benefit(
        wf,
        owner,
        project,
        owner_id=line_manager.id,
        **{
            **BENEFIT,
            "type": "quality",
            "target": {"value": 5, "on": "2026-11-20"},
            "nok_per_year": None,
        },
    )
    workflow.add_benefit(  # far ahead: not due yet
        wf,
        owner,
        project,
        owner_id=line_manager.id,
        **{**BENEFIT, "target": {"value": 5, "on": "2027-06-01"}},
    )
    today = date(2026, 11, 2)
    with wf.db.read() as conn:
        tasks = measurement_tasks(conn, line_manager.id, today)
        assert [(t["kind"], t["ref_id"], t["due_on"]) for t in tasks] == [
            ("measurement", bid, date(2026, 10, 1)),
            ("measurement", soon, date(2026, 11, 20)),
        ]
        assert tasks[0]["project_title"] == "Digital registrering"
        assert measurement_tasks(conn, owner.id, today) == []
        assert flagged_projects(conn, [project], today) == {project}
    workflow.record_measurement(wf, line_manager, project, bid, value=9, measured_on="2026-10-02")
    with wf.db.read() as conn:
        assert [t["ref_id"] for t in measurement_tasks(conn, line_manager.id, today)] == [soon]
        assert flagged_projects(conn, [project], today) == set()
        (sums,) = benefit_sums(conn, [project])
    assert (sums["planned_nok"], sums["realised_nok"]) == (700_000, 350_000)
    assert sums["planned"] == {"efficiency": 2, "quality": 1, "other_actors": 0}
    assert sums["realised"]["efficiency"] == 1
    found = workflow.portfolio_benefits(wf)
    assert [(g.key, g.planned_nok, g.realised_nok) for g in found.by_form] == [
        ("lab", 700_000, 350_000)
    ]


@pytest.fixture
def gev(db, tmp_path: Path):
    (tmp_path / "gev.yaml").write_text(PLAN, encoding="utf-8")
    return make_workflow(db, tmp_path)


def reasons(wf, project_id):
    gate = workflow.get_project(wf, project_id).next_gates[0]
    return {(c["kind"], c["key"]): (c["met"], c["code"]) for c in gate["requires"]}


def person(wf, email: str):
    workflow.add_user(wf, email=email, name=email, role="owner", password="password123")
    return workflow.get_actor(wf, email=email)


def test_the_requirement_kinds_benefits_and_measurements(gev):
    boss, manager = person(gev, "eier@example.no"), person(gev, "leder@example.no")
    pid = workflow.create_project(gev, boss, definition="gev", title="Gevinst")
    assert reasons(gev, pid)[("benefits", "min")] == (False, "benefits_too_few")
    bid = workflow.add_benefit(
        gev, boss, pid, **{k: v for k, v in BENEFIT.items() if k != "target"}
    )
    found = reasons(gev, pid)
    assert found[("benefits", "min")] == (True, "benefits_enough")
    assert found[("benefits", "baseline")] == (True, "benefits_all_have")
    assert found[("benefits", "target")] == (False, "benefits_some_lack")
    assert found[("benefits", "owner")] == (False, "benefits_some_lack")
    workflow.edit_benefit(gev, boss, pid, bid, target=BENEFIT["target"], owner_id=manager.id)
    assert all(met for met, _ in reasons(gev, pid).values())


def test_the_definition_loader_checks_the_shapes(tmp_path):
    bad = PLAN.replace("{after_target: true}", "{after_target: false}").replace(
        "owner: true}", "owner: true, extra: 1}"
    )
    (tmp_path / "gev.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(workflow.DefinitionError) as refused:
        workflow.load_definitions([tmp_path])
    text = str(refused.value)
    assert "after_target" in text
    assert "extra" in text


def test_the_benefits_migration_goes_down_and_up(db):
    wf = make_workflow(db)
    config = alembic_config(wf.db.engine)
    try:
        with wf.db.engine.connect() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
            conn.commit()
        assert "benefits" not in inspect(wf.db.engine).get_table_names()
    finally:
        upgrade(wf.db.engine)  # the other tests need the newest schema, whatever happened here
    names = inspect(wf.db.engine).get_table_names()
    assert {"benefits", "measurements"} <= set(names)
    indexes = {i["name"] for i in inspect(wf.db.engine).get_indexes("benefits")}
    assert {"ix_benefits_project_id_id", "ix_benefits_owner_id_target_on"} <= indexes


def test_benefit_owners_are_reminded_14_and_1_days_before_the_target_date(
    wf, owner, line_manager, project
):
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from workflow.jobs.benefit_reminders import remind_benefit_owners
    from workflow.store.tables import outbox

    oslo = ZoneInfo("Europe/Oslo")
    target = {"value": 10, "on": "2027-03-01"}
    bid = workflow.add_benefit(
        wf, owner, project, owner_id=line_manager.id, **{**BENEFIT, "target": target}
    )
    measured = workflow.add_benefit(  # measured on its target date already: no reminder
        wf, owner, project, owner_id=line_manager.id, **{**BENEFIT, "target": target}
    )
    workflow.record_measurement(wf, owner, project, measured, value=5, measured_on="2027-03-01")
    start = date(2027, 2, 10)
    for n in range(25):
        as_of = datetime.combine(start + timedelta(days=n), time(6), tzinfo=oslo)
        remind_benefit_owners(wf, as_of=as_of, zone=oslo)
        remind_benefit_owners(wf, as_of=as_of, zone=oslo)  # a second run queues nothing new
    with wf.db.read() as conn:
        rows = conn.execute(
            select(outbox.c.recipient_email, outbox.c.subject, outbox.c.dedupe_key).order_by(
                outbox.c.id
            )
        ).all()
    assert [r.dedupe_key for r in rows] == [
        f"benefit:{bid}:2027-03-01:14",
        f"benefit:{bid}:2027-03-01:1",
    ]
    assert {r.recipient_email for r in rows} == {line_manager.email}
    assert rows[0].subject == "Gevinstmåling om 14 dag(er): Digital registrering"
