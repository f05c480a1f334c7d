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


def test_mdi_spreading_needs_two_units_measurements_and_a_lesson(wf, owner, leder, idea):
    spec = wf.catalog.get("mdi", 2)
    spread = spec.gate("spread")
    from workflow.requirements.base import BenefitFact, ProjectFacts
    from workflow.requirements.evaluate import evaluate

    done = frozenset(c.key for c in spec.stage("spreading").checklist)

    def codes(units, lesson, measured):
        benefit = BenefitFact(
            True, True, True, target_on=date_(2026, 10, 20), last_measured_on=measured
        )
        found = evaluate(
            spec,
            spread,
            ProjectFacts({"units_adopted": units}, done, benefits=(benefit,), has_lesson=lesson),
        )
        return {c.kind: (c.met, c.code) for c in found if c.kind != "checklist"}

    one = codes(1, False, None)
    assert one["compare"] == (False, "compare_fails")
    assert one["lesson"] == (False, "lesson_missing")
    assert one["measurements"] == (False, "not_measured_after_target")
    assert codes(2, True, date_(2026, 10, 21)) == {
        "field": (True, "field_filled"),
        "compare": (True, "compare_holds"),
        "measurements": (True, "measured_after_target"),
        "lesson": (True, "lesson_written"),
        "follow_ups_closed": (True, "follow_ups_all_closed"),
    }


def date_(y, m, d):
    from datetime import date

    return date(y, m, d)


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
    workflow.add_partner(wf, owner, lab, organisation_id=citizens)
    workflow.submit_project(wf, owner, lab)
    for gatekeeper in (kommune, ntnu):
        workflow.decide_gate(
            wf, gatekeeper, lab, decision="go", scores=SCORES["co_creation_review"]
        )
    assert workflow.get_project(wf, lab).project["stage"] == "exploration"

    workflow.update_project(
        wf,
        owner,
        lab,
        fields={
            "site": "Krambugata",
            "hypothesis": "Flere blir i gata.",
            "method_1": "observation",
            "method_2": "observation",
            "experiment_start": "2027-06-01",
            "experiment_end": "2027-05-31",
        },
    )
    need = requires(wf, lab)
    assert need[("partners", "public")] == (False, "partners_missing")
    assert need[("partners", "business")] == (False, "partners_missing")
    assert need[("partners", "research")] == (True, "partners_enough")
    # the citizens were only invited: the experiment needs them confirmed
    assert need[("partner_groups", "users")] == (False, "partner_group_missing")
    assert need[("distinct_fields", "methods")] == (False, "distinct_too_few")
    assert [v for k, v in need.items() if k[0] == "compare"] == [(False, "compare_fails")]

    workflow.add_partner(wf, owner, lab, organisation_id=org(wf, "Trondheim parkering", "public"))
    workflow.add_partner(wf, owner, lab, organisation_id=org(wf, "Krambu Kafé AS", "business"))
    workflow.update_project(
        wf, owner, lab, fields={"method_2": "interviews", "experiment_end": "2027-06-01"}
    )
    need = requires(wf, lab)
    assert need[("partners", "public")] == (True, "partners_enough")
    assert need[("partners", "business")] == (True, "partners_enough")
    assert need[("distinct_fields", "methods")] == (True, "distinct_enough")
    assert [v for k, v in need.items() if k[0] == "compare"] == [(True, "compare_holds")]


def test_living_lab_evaluation_needs_an_owner_of_further_use_measurements_and_a_lesson(wf):
    spec = wf.catalog.get("living_lab", 2)
    gate = spec.gate("evaluation_approved")
    from workflow.requirements.base import ProjectFacts
    from workflow.requirements.evaluate import evaluate

    found = {
        c.kind: (c.met, c.code)
        for c in evaluate(spec, gate, ProjectFacts({}, frozenset()))
        if c.kind in ("roles", "measurements", "lesson")
    }
    assert found == {
        "roles": (False, "role_empty"),
        "measurements": (False, "no_benefits_to_measure"),
        "lesson": (False, "lesson_missing"),
    }
    assert gate.requires.follow_ups_closed
    assert spec.gate("experiment_done").requires.follow_ups_closed
