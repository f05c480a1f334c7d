"""Definitions version 2 of mdi and living_lab (issue 16): each correction holds on real
projects driven through the engine's services, and says why when it is unmet."""

from __future__ import annotations

from datetime import timedelta

import pytest

import workflow
from tests.conftest import SHIPPED

SCORES = {
    "selected_for_pilot": {"benefit": 4, "feasibility": 4, "involvement": 4},
    "co_creation_review": {"stakeholders": 4, "shared_challenge": 4, "anchoring": 4},
}
BENEFIT = {
    "description": "Mindre tid til dokumentasjon per vakt",
    "type": "efficiency",
    "chain_link": "user_effect",
    "indicator": "Minutter per vakt",
    "unit": "minutter",
    "change_on": "2026-10-01",
    "baseline": {"value": 45, "on": "2026-09-01"},
    "target": {"value": 30, "on": "2026-10-20"},
}


def requires(wf, pid, gate=None):
    """The project's next gate's criteria: (kind, key) → (met, code)."""
    view = workflow.get_project(wf, pid)
    (chosen,) = [g for g in view.next_gates if gate in (None, g["gate"])]
    return {(c["kind"], c["key"]): (c["met"], c["code"]) for c in chosen["requires"]}


def later(wf, days):
    moved = workflow.Workflow(
        wf.db, base_url=wf.base_url, clock=lambda: wf.clock() + timedelta(days=days)
    )
    moved.catalog = wf.catalog
    return moved


@pytest.fixture
def leder(create_user):
    return create_user("gatekeeper", group="leder", name="Lene Leder")


def tick(wf, owner, pid, *items):
    for item in items:
        workflow.set_checklist_item(wf, owner, pid, item, True)


# --------------------------------------------------------------------------- the files


def test_version_1_is_kept_and_version_2_is_current():
    for key in ("mdi", "living_lab"):
        old = workflow.parse_definition(
            (SHIPPED / "versions" / f"{key}.v1.yaml").read_text(encoding="utf-8")
        )
        new = workflow.parse_definition((SHIPPED / f"{key}.yaml").read_text(encoding="utf-8"))
        assert (old.key, old.version, new.key, new.version) == (key, 1, key, 2)


def test_free_text_role_fields_became_project_roles():
    mdi = workflow.parse_definition((SHIPPED / "mdi.yaml").read_text(encoding="utf-8"))
    lab = workflow.parse_definition((SHIPPED / "living_lab.yaml").read_text(encoding="utf-8"))

    assert {r.key for r in mdi.project_roles} == {"leader", "union_representative", "benefit_owner"}
    assert not any(mdi.has_field(k) for k in ("leader", "union_representative", "benefit_owner"))
    assert {r.key for r in lab.project_roles} == {"project_manager", "benefit_owner"}
    assert not lab.has_field("benefit_owner")
    assert not lab.has_field("stakeholders")


def test_the_living_lab_area_is_as_it_was():
    old = workflow.parse_definition(
        (SHIPPED / "versions" / "living_lab.v1.yaml").read_text(encoding="utf-8")
    )
    new = workflow.parse_definition((SHIPPED / "living_lab.yaml").read_text(encoding="utf-8"))

    assert new.field("area") == old.field("area")


# --------------------------------------------------------------------------- mdi


@pytest.fixture
def idea(wf, owner):
    return workflow.create_project(
        wf,
        owner,
        definition="mdi",
        title="Felles tavle",
        fields={"problem": "Vi leter etter nøkler."},
    )


def test_mdi_new_projects_start_on_version_2(wf, idea):
    assert workflow.get_project(wf, idea).project["definition_version"] == 2


def test_mdi_idea_names_the_nearest_leader_who_alone_decides(wf, owner, leder, kommune, idea):
    tick(wf, owner, idea, "idea_described")
    assert requires(wf, idea)[("roles", "leader")] == (False, "role_empty")
    with pytest.raises(workflow.GateNotSatisfied):
        workflow.submit_project(wf, owner, idea)

    workflow.set_roles(wf, owner, idea, {"leader": leder.id})
    assert requires(wf, idea)[("roles", "leader")] == (True, "role_filled")
    workflow.submit_project(wf, owner, idea)

    # the board's groups have no say: only the leader group decides, and one go is enough
    with pytest.raises(workflow.PermissionDenied):
        workflow.decide_gate(wf, kommune, idea, decision="go")
    workflow.decide_gate(wf, leder, idea, decision="go", comment="Prøv den!")
    assert workflow.get_project(wf, idea).project["stage"] == "assessment"


def test_mdi_the_two_week_feedback_promise_is_the_idea_gates_review_sla(wf, owner, leder, idea):
    tick(wf, owner, idea, "idea_described")
    workflow.set_roles(wf, owner, idea, {"leader": leder.id})
    workflow.submit_project(wf, owner, idea)

    assert workflow.review_sla_days(wf.catalog.get("mdi", 2), "idea_feedback") == 14
    assert workflow.flag_stalled(wf, as_of=wf.clock() + timedelta(days=13)).flagged == []
    report = workflow.flag_stalled(wf, as_of=wf.clock() + timedelta(days=15))
    assert report.flagged == [idea]
    assert workflow.project_events(wf, idea)[-1]["payload"]["reason"] == "review_overdue"


def to_assessment(wf, owner, leder, pid):
    tick(wf, owner, pid, "idea_described")
    workflow.set_roles(wf, owner, pid, {"leader": leder.id})
    workflow.submit_project(wf, owner, pid)
    workflow.decide_gate(wf, leder, pid, decision="go")


def test_mdi_a_pilot_needs_benefits_with_baselines_and_dates_in_order(
    wf, owner, other_owner, leder, idea
):
    to_assessment(wf, owner, leder, idea)
    tick(wf, owner, idea, "colleagues_consulted", "union_rep_involved", "pilot_planned")
    workflow.set_roles(
        wf, owner, idea, {"leader": leder.id, "union_representative": other_owner.id}
    )
    workflow.update_project(
        wf,
        owner,
        idea,
        fields={"unit": "Hjemmetjenesten", "pilot_start": "2026-12-01", "pilot_end": "2026-11-30"},
    )
    need = requires(wf, idea)
    assert need[("benefits", "min")] == (False, "benefits_too_few")
    assert [v for k, v in need.items() if k[0] == "compare"] == [(False, "compare_fails")]

    workflow.add_benefit(wf, owner, idea, **BENEFIT)
    workflow.update_project(wf, owner, idea, fields={"pilot_end": "2026-12-01"})  # same day
    assert [k for k, (met, _) in requires(wf, idea).items() if not met] == []
    workflow.submit_project(wf, owner, idea)
    workflow.decide_gate(wf, leder, idea, decision="go", scores=SCORES["selected_for_pilot"])
    assert workflow.get_project(wf, idea).project["stage"] == "pilot"


def test_mdi_from_idea_to_spread_conditions_benefit_owner_two_units_measurements_lesson(
    wf, owner, other_owner, leder, idea
):
    # idea and assessment, as the leader decides; the pilot is approved with a condition
    to_assessment(wf, owner, leder, idea)
    tick(wf, owner, idea, "colleagues_consulted", "union_rep_involved", "pilot_planned")
    roles = {"leader": leder.id, "union_representative": other_owner.id}
    workflow.set_roles(wf, owner, idea, roles)
    workflow.update_project(
        wf,
        owner,
        idea,
        fields={"unit": "Hjemmetjenesten", "pilot_start": "2026-09-15", "pilot_end": "2026-10-30"},
    )
    benefit = workflow.add_benefit(wf, owner, idea, **BENEFIT)
    workflow.submit_project(wf, owner, idea)
    condition = {"text": "Avklar turnus", "responsible_id": owner.id, "due_on": "2026-11-20"}
    workflow.decide_gate(
        wf,
        leder,
        idea,
        decision="go",
        scores=SCORES["selected_for_pilot"],
        conditions=[condition],
    )
    assert workflow.get_project(wf, idea).project["stage"] == "pilot"

    # the pilot: a benefit owner (role and on the benefit) and the condition closed
    tick(wf, owner, idea, "baseline_measured", "pilot_evaluated", "union_rep_consulted")
    workflow.update_project(
        wf, owner, idea, fields={"pilot_result": "Raskere.", "expected_benefits": "Tid."}
    )
    need = requires(wf, idea)
    assert need[("roles", "benefit_owner")] == (False, "role_empty")
    assert need[("benefits", "owner")] == (False, "benefits_some_lack")
    assert [v for k, v in need.items() if k[0] == "follow_ups_closed"] == [
        (False, "follow_ups_open")
    ]
    workflow.set_roles(wf, owner, idea, {**roles, "benefit_owner": leder.id})
    workflow.edit_benefit(wf, owner, idea, benefit, owner_id=leder.id)
    (follow_up,) = workflow.project_follow_ups(wf, idea)
    workflow.close_follow_up(wf, owner, idea, follow_up["id"], note="Avklart i møte.")
    assert [k for k, (met, _) in requires(wf, idea).items() if not met] == []
    workflow.submit_project(wf, owner, idea)
    workflow.decide_gate(wf, leder, idea, decision="go", scores={"effect": 4, "acceptance": 4})
    tick(wf, owner, idea, "routines_updated", "staff_trained")
    workflow.submit_project(wf, owner, idea)
    workflow.decide_gate(wf, leder, idea, decision="go")
    assert workflow.get_project(wf, idea).project["stage"] == "spreading"

    # spreading: two units, the benefit measured on or after its target date, a lesson
    tick(wf, owner, idea, "recipe_shared", "other_units_reached", "originator_recognised")
    workflow.update_project(wf, owner, idea, fields={"units_adopted": 1})
    need = requires(wf, idea)
    assert [v for k, v in need.items() if k[0] == "compare"] == [(False, "compare_fails")]
    assert [v for k, v in need.items() if k[0] in ("measurements", "lesson")] == [
        (False, "lesson_missing"),
        (False, "not_measured_after_target"),
    ]

    workflow.update_project(wf, owner, idea, fields={"units_adopted": 2})
    workflow.record_measurement(wf, owner, idea, benefit, value=28, measured_on="2026-10-25")
    workflow.write_lesson(wf, owner, idea, worked="Korte møter.", advice="Mål nullpunktet.")
    assert [k for k, (met, _) in requires(wf, idea).items() if not met] == []
    workflow.submit_project(wf, owner, idea)
    scores = {"effect_documented": 4, "spreading": 4}
    workflow.decide_gate(wf, leder, idea, decision="go", scores=scores)
    assert workflow.get_project(wf, idea).project["status"] == "completed"


# --------------------------------------------------------------------------- living_lab


@pytest.fixture
def lab(wf, owner):
    return workflow.create_project(
        wf,
        owner,
        definition="living_lab",
        title="Bilfrie sommergater",
        fields={"area": "midtbyen", "challenge": "Gatene er lite brukt om sommeren."},
    )


def org(wf, name, kind):
    return workflow.add_organisation(wf, None, name=name, type=kind)


def test_living_lab_citizens_or_users_from_co_creation_on(wf, owner, lab, research_org):
    tick(wf, owner, lab, "stakeholders_mapped", "challenge_co_defined", "roles_agreed")
    workflow.set_roles(wf, owner, lab, {"project_manager": owner.id})
    workflow.add_partner(wf, owner, lab, organisation_id=research_org)
    assert requires(wf, lab)[("partner_groups", "users")] == (False, "partner_group_missing")
    with pytest.raises(workflow.GateNotSatisfied) as caught:
        workflow.submit_project(wf, owner, lab)
    assert [(u.kind, u.key, u.code) for u in caught.value.unmet] == [
        ("partner_groups", "users", "partner_group_missing")
    ]

    # a voluntary organisation counts as well as a citizens' group
    workflow.add_partner(
        wf, owner, lab, organisation_id=org(wf, "Midtbyen Beboerforening", "civil_society")
    )
    assert requires(wf, lab)[("partner_groups", "users")] == (True, "partner_group_enough")


def test_living_lab_the_experiment_needs_the_quadruple_helix_and_two_methods(
    wf, owner, kommune, ntnu, lab, research_org
):
    tick(wf, owner, lab, "stakeholders_mapped", "challenge_co_defined", "roles_agreed")
    workflow.set_roles(wf, owner, lab, {"project_manager": owner.id})
    workflow.add_partner(wf, owner, lab, organisation_id=research_org)
    citizens = org(wf, "Krambugata nabolag", "citizens")
    citizen_partner = workflow.add_partner(wf, owner, lab, organisation_id=citizens)
    workflow.submit_project(wf, owner, lab)
    for gatekeeper in (kommune, ntnu):
        scores = SCORES["co_creation_review"]
        workflow.decide_gate(wf, gatekeeper, lab, decision="go", scores=scores)
    assert workflow.get_project(wf, lab).project["stage"] == "exploration"

    tick(wf, owner, lab, "user_insight", "privacy_settled", "permits_obtained")
    workflow.update_project(
        wf,
        owner,
        lab,
        fields={
            "site": "Krambugata",
            "hypothesis": "Flere blir i gata.",
            "method_1": "observation",
            "method_2": "observation",
            "experiment_start": "2026-10-05",
            "experiment_end": "2026-10-04",
        },
    )
    need = requires(wf, lab)
    assert need[("partners", "public")] == (False, "partners_missing")
    assert need[("partners", "business")] == (False, "partners_missing")
    assert need[("partners", "research")] == (True, "partners_enough")
    # the citizens were only invited: the experiment needs them confirmed
    assert need[("partner_groups", "users")] == (False, "partner_group_missing")
    assert need[("distinct_fields", "methods")] == (False, "distinct_too_few")
    assert need[("benefits", "min")] == (False, "benefits_too_few")
    assert [v for k, v in need.items() if k[0] == "compare"] == [(False, "compare_fails")]

    workflow.add_partner(wf, owner, lab, organisation_id=org(wf, "Trondheim parkering", "public"))
    workflow.add_partner(wf, owner, lab, organisation_id=org(wf, "Krambu Kafé AS", "business"))
    workflow.update_partner(wf, owner, lab, citizen_partner, status="confirmed")
    workflow.update_project(
        wf, owner, lab, fields={"method_2": "interviews", "experiment_end": "2026-10-05"}
    )
    benefit = workflow.add_benefit(wf, owner, lab, **{**BENEFIT, "change_on": "2026-10-05"})
    assert [k for k, (met, _) in requires(wf, lab).items() if not met] == []
    workflow.submit_project(wf, owner, lab)
    condition = {"text": "DPIA ferdig", "responsible_id": owner.id, "due_on": "2026-11-30"}
    scores = {"user_involvement": 4, "design": 4, "ethics": 4}
    workflow.decide_gate(wf, kommune, lab, decision="go", scores=scores, conditions=[condition])
    workflow.decide_gate(wf, ntnu, lab, decision="go", scores=scores)
    assert workflow.get_project(wf, lab).project["stage"] == "experimentation"

    # the board's condition is closed before the experiment counts as done
    tick(wf, owner, lab, "experiment_run", "data_collected", "changes_logged")
    assert [v for k, v in requires(wf, lab).items() if not v[0]] == [(False, "follow_ups_open")]
    (follow_up,) = workflow.project_follow_ups(wf, lab)
    workflow.close_follow_up(wf, owner, lab, follow_up["id"], note="DPIA godkjent.")
    workflow.submit_project(wf, owner, lab)
    workflow.decide_gate(wf, kommune, lab, decision="go")

    # evaluation: an owner of further use, the benefit measured after its target, a lesson
    tick(wf, owner, lab, "results_analysed", "results_shared", "next_step_decided")
    workflow.update_project(
        wf, owner, lab, fields={"findings": "Mer liv.", "next_step": "scale_up"}
    )
    need = requires(wf, lab)
    assert need[("roles", "benefit_owner")] == (False, "role_empty")
    assert need[("lesson", "lesson")] == (False, "lesson_missing")
    assert [v for k, v in need.items() if k[0] == "measurements"] == [
        (False, "not_measured_after_target")
    ]
    workflow.set_roles(wf, owner, lab, {"project_manager": owner.id, "benefit_owner": owner.id})
    workflow.record_measurement(
        wf,
        owner,
        lab,
        benefit,
        value=31,
        measured_on="2026-10-21",
        comment="Nesten: sommeren var kort.",
    )
    workflow.write_lesson(wf, owner, lab, worked="Verksted i gata.", did_not_work="Skjema.")
    assert [k for k, (met, _) in requires(wf, lab).items() if not met] == []
