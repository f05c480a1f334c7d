"""The corrected definitions of issue #16 — ipo v3, innovative_procurement v2 and
innovation_partnership v2 — driving real projects through the engine's services.

Each test shows one correction's rule holding and, before that, its unmet reason (the code
the engine gives, which the web layer words). A project is put straight into the stage under
test; everything after that goes through the use cases. The workflow's clock reads
2 November 2026 (``tests.conftest.EPOCH``), so that is "today" for the rules that ask.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

import workflow
from workflow import GateNotSatisfied, PermissionDenied
from workflow.store.files import FileStore
from workflow.store.tables import projects

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BENEFIT = {
    "description": "Færre timer brukt på manuell registrering",
    "type": "efficiency",
    "chain_link": "user_effect",
    "indicator": "Timer per uke",
    "unit": "timer",
    "change_on": "2026-09-01",
    "baseline": {"value": 40, "on": "2026-08-01"},
    "target": {"value": 10, "on": "2026-10-01"},
}


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(str(tmp_path / "uploads"))


@pytest.fixture
def buyer(create_user):
    """A gatekeeper for the contracting authority (oppdragsgiver)."""
    return create_user("gatekeeper", group="oppdragsgiver", name="Oda Oppdragsgiver")


def in_stage(wf, owner, definition: str, stage: str, fields: dict[str, Any] | None = None):
    """A new project of ``definition`` (its newest version), put into ``stage``."""
    pid = workflow.create_project(wf, owner, definition=definition, title=f"Prosjekt {stage}")
    with wf.db.write() as conn:
        conn.execute(update(projects).where(projects.c.id == pid).values(stage=stage))
    if fields:
        workflow.update_project(wf, owner, pid, fields=fields)
    return pid


def tick(wf, owner, pid, gate_key: str) -> None:
    """Tick every checklist item the gate asks for."""
    view = workflow.get_project(wf, pid)
    spec = wf.catalog.get(view.project["definition_key"], view.project["definition_version"])
    for item in spec.gate(gate_key).requires.checklist:
        workflow.set_checklist_item(wf, owner, pid, item, True)


def criteria(wf, pid, gate_key: str) -> dict[str, tuple[bool, str]]:
    """The gate's requirements as ``kind:key`` → (met, code)."""
    (gate,) = [g for g in workflow.get_project(wf, pid).next_gates if g["gate"] == gate_key]
    return {f"{c['kind']}:{c['key']}": (c["met"], c["code"]) for c in gate["requires"]}


def refused(wf, owner, pid, gate_key: str) -> dict[str, str]:
    """Submit to the gate, which must refuse: each unmet ``kind:key`` → its code."""
    with pytest.raises(GateNotSatisfied) as caught:
        workflow.submit_project(wf, owner, pid, gate=gate_key)
    return {f"{u.kind}:{u.key}": u.code for u in caught.value.unmet}


def upload(wf, owner, pid, store, kind: str) -> None:
    workflow.upload_attachment(
        wf,
        owner,
        pid,
        type=kind,
        stream=io.BytesIO(PDF),
        filename=f"{kind}.pdf",
        store=store,
        limit=1 << 20,
    )


def organisation(wf, name: str, kind: str, approved: bool = False) -> int:
    return workflow.add_organisation(wf, None, name=name, type=kind, approved_research=approved)


# --- ipo v3 ------------------------------------------------------------------------------


def test_new_projects_start_on_the_corrected_versions(wf, owner):
    started = {
        key: workflow.get_project(
            wf, workflow.create_project(wf, owner, definition=key, title="Ny")
        ).project["definition_version"]
        for key in ("ipo", "innovative_procurement", "innovation_partnership")
    }

    assert started == {"ipo": 3, "innovative_procurement": 2, "innovation_partnership": 2}


def test_ipo_ready_to_apply_needs_a_deadline_ahead_roles_and_both_partner_kinds(
    wf, owner, other_owner, create_user
):
    pid = in_stage(
        wf,
        owner,
        "ipo",
        "partner_matching",
        # last year's deadline, left from before a rejection: it satisfied the gate in v2
        {"research_question": "Hva virker?", "next_call_deadline": "2026-09-24"},
    )
    tick(wf, owner, pid, "ready_to_apply")
    research = organisation(wf, "NTNU IDI", "research")

    workflow.add_partner(wf, owner, pid, organisation_id=research, status="confirmed")
    unmet = refused(wf, owner, pid, "ready_to_apply")

    assert unmet == {
        "partners:research": "partners_approval_missing",
        "partners:public": "partners_missing",
        "compare:next_call_deadline >= today": "compare_fails",
        "roles:project_manager": "role_empty",
        "roles:administrative_contact": "role_empty",
        "roles:research_contact": "role_empty",
    }
    approved = organisation(wf, "SINTEF Digital", "research", approved=True)
    workflow.add_partner(wf, owner, pid, organisation_id=approved, status="confirmed")
    workflow.add_partner(wf, owner, pid, organisation_id=organisation(wf, "Kommunen", "public"))
    workflow.update_project(wf, owner, pid, fields={"next_call_deadline": "2027-09-22"})
    researcher = create_user("owner", name="Rita Forsker")
    workflow.set_roles(
        wf,
        owner,
        pid,
        {
            "project_manager": owner.id,
            "administrative_contact": other_owner.id,
            "research_contact": researcher.id,
        },
    )

    assert all(met for met, _ in criteria(wf, pid, "ready_to_apply").values())
    workflow.submit_project(wf, owner, pid, gate="ready_to_apply")
    assert workflow.get_project(wf, pid).project["status"] == "in_review"


def test_ipo_granted_needs_the_four_attachments_a_letter_of_intent_and_a_benefit_plan(
    wf, owner, other_owner, store
):
    pid = in_stage(wf, owner, "ipo", "funding_application")
    research = organisation(wf, "NTNU ISM", "research", approved=True)
    partner = workflow.add_partner(wf, owner, pid, organisation_id=research, status="confirmed")

    before = criteria(wf, pid, "application_granted")

    assert before["partners:research"] == (False, "partners_status_missing")
    for kind in ("project_description", "cv", "letter_of_intent", "partner_information"):
        assert before[f"attachments:{kind}"] == (False, "attachment_missing")
    assert before["call_rules:application"] == (False, "application_missing")
    assert before["benefits:min"] == (False, "benefits_too_few")
    workflow.update_partner(wf, owner, pid, partner, status="letter_of_intent")
    for kind in ("project_description", "cv", "letter_of_intent", "partner_information"):
        upload(wf, owner, pid, store, kind)
    workflow.add_benefit(wf, owner, pid, owner_id=other_owner.id, **BENEFIT)
    after = criteria(wf, pid, "application_granted")
    assert after["partners:research"] == (True, "partners_enough")
    assert all(after[f"attachments:{k}"][0] for k in ("cv", "partner_information"))
    assert all(met for k, (met, _) in after.items() if k.startswith("benefits:"))
    # the application itself (granted, within its call's rules) is the funding module's:
    # tests/integration/test_applications.py drives it; here it is still missing
    assert after["application:status"] == (False, "application_missing")


def test_ipo_project_end_needs_an_approved_progress_report_a_benefit_owner_and_closed_conditions(
    wf, owner, other_owner, coordinator
):
    pid = in_stage(wf, owner, "ipo", "execution")
    tick(wf, owner, pid, "execution_complete")

    assert refused(wf, owner, pid, "execution_complete") == {
        "reports:progress": "report_missing",
        "roles:benefit_owner": "role_empty",
    }
    report = workflow.add_report(wf, owner, pid, kind="progress", due_on="2026-12-01")
    workflow.set_roles(wf, owner, pid, {"benefit_owner": other_owner.id})
    assert criteria(wf, pid, "execution_complete")["reports:progress"] == (
        False,
        "report_not_far_enough",
    )
    workflow.deliver_report(wf, owner, pid, report)
    workflow.approve_report(wf, coordinator, pid, report)

    assert all(met for met, _ in criteria(wf, pid, "execution_complete").values())


def test_ipo_benefits_realised_needs_measurements_after_target_a_lesson_and_the_final_report(
    wf, owner, other_owner
):
    pid = in_stage(wf, owner, "ipo", "effect_followup")
    benefit = workflow.add_benefit(wf, owner, pid, owner_id=other_owner.id, **BENEFIT)
    workflow.record_measurement(wf, other_owner, pid, benefit, value=30, measured_on="2026-09-15")
    tick(wf, owner, pid, "benefits_realised")

    unmet = refused(wf, owner, pid, "benefits_realised")

    assert unmet["reports:final"] == "report_missing"
    assert unmet["lesson:lesson"] == "lesson_missing"
    assert unmet["measurements:after_target"] == "not_measured_after_target"
    workflow.record_measurement(
        wf, other_owner, pid, benefit, value=12, measured_on="2026-10-20", comment="Nesten"
    )
    workflow.write_lesson(wf, owner, pid, worked="Tidlig nullpunkt", advice="Mål oftere")
    after = criteria(wf, pid, "benefits_realised")
    assert after["lesson:lesson"] == (True, "lesson_written")
    assert all(met for k, (met, _) in after.items() if k.startswith("measurements:"))


def test_ipo_final_report_is_due_one_calendar_month_after_the_end():
    from workflow.domain.reports import final_report_due

    assert final_report_due(workflow_date("2026-01-31")) == workflow_date("2026-02-28")
    assert final_report_due(workflow_date("2029-04-30")) == workflow_date("2029-05-30")


def workflow_date(text: str):
    from datetime import date

    return date.fromisoformat(text)


# --- innovative_procurement v2 ------------------------------------------------------------

AWARD = {
    "announced_on": "2026-06-01",
    "tender_deadline": "2026-08-15",
    "award_notified_on": "2026-09-01",
    "supplier": "Nidaros Teknologi AS",
    "contract_value": 4_000_000,
    "contract_signed_on": "2026-09-10",  # nine days after the award notice
    "contract_end": "2028-09-10",
}


def test_the_award_keeps_the_standstill_period_and_the_contracting_authority_decides(
    wf, owner, other_owner, kommune, buyer, store
):
    pid = in_stage(wf, owner, "innovative_procurement", "competition", AWARD)
    tick(wf, owner, pid, "contract_awarded")
    workflow.add_benefit(wf, owner, pid, owner_id=other_owner.id, **BENEFIT)

    unmet = refused(wf, owner, pid, "contract_awarded")

    assert unmet == {
        "attachments:procurement_protocol": "attachment_missing",
        "compare:contract_signed_on >= award_notified_on": "compare_fails",
    }
    workflow.update_project(wf, owner, pid, fields={"contract_signed_on": "2026-09-11"})
    upload(wf, owner, pid, store, "procurement_protocol")
    workflow.submit_project(wf, owner, pid, gate="contract_awarded")
    # not a kommune + NTNU board: a municipal board member has no vote on the award
    with pytest.raises(PermissionDenied):
        workflow.decide_gate(
            wf, kommune, pid, decision="go", scores={"award_quality": 4, "contract_quality": 4}
        )
    workflow.decide_gate(
        wf, buyer, pid, decision="go", scores={"award_quality": 4, "contract_quality": 4}
    )
    assert workflow.get_project(wf, pid).project["stage"] == "contract_followup"


def test_the_contract_ends_after_it_is_signed(wf, owner):
    pid = in_stage(
        wf, owner, "innovative_procurement", "competition", {**AWARD, "contract_end": "2026-09-01"}
    )

    found = criteria(wf, pid, "contract_awarded")

    assert found["compare:contract_end > contract_signed_on"] == (False, "compare_fails")


def test_the_threshold_is_data_the_need_gate_asks_for(wf, owner, other_owner):
    pid = in_stage(
        wf,
        owner,
        "innovative_procurement",
        "needs_mapping",
        {"function_description": "Færre fall om natten", "estimated_value": 3_000_000},
    )
    tick(wf, owner, pid, "needs_approved")

    assert refused(wf, owner, pid, "needs_approved") == {
        "field:eea_threshold": "field_empty",
        "benefits:min": "benefits_too_few",
    }
    workflow.update_project(wf, owner, pid, fields={"eea_threshold": 1_550_000})
    workflow.add_benefit(wf, owner, pid, owner_id=other_owner.id, **BENEFIT)
    assert all(met for met, _ in criteria(wf, pid, "needs_approved").values())


def test_an_innovation_partnership_is_handed_over_not_put_to_competition(wf, owner, store):
    fields = {
        "procedure": "innovation_partnership",
        "prior_information_notice_on": "2026-05-01",
        "dialogue_conference_on": "2026-06-01",
    }
    pid = in_stage(wf, owner, "innovative_procurement", "market_dialogue", fields)
    tick(wf, owner, pid, "ready_for_competition")
    upload(wf, owner, pid, store, "dialogue_minutes")
    upload(wf, owner, pid, store, "tender_documents")

    competition = criteria(wf, pid, "ready_for_competition")
    handover = criteria(wf, pid, "handover_to_partnership")

    assert competition["compare:procedure != innovation_partnership"] == (False, "compare_fails")
    assert handover["compare:procedure == innovation_partnership"] == (True, "compare_holds")
    assert all(met for met, _ in handover.values())
    workflow.update_project(wf, owner, pid, fields={"procedure": "competitive_dialogue"})
    assert all(met for met, _ in criteria(wf, pid, "ready_for_competition").values())
    assert criteria(wf, pid, "handover_to_partnership")[
        "compare:procedure == innovation_partnership"
    ] == (False, "compare_fails")


def test_the_dialogue_conference_follows_the_prior_information_notice(wf, owner):
    pid = in_stage(
        wf,
        owner,
        "innovative_procurement",
        "market_dialogue",
        {"prior_information_notice_on": "2026-06-10", "dialogue_conference_on": "2026-06-01"},
    )

    found = criteria(wf, pid, "ready_for_competition")

    assert found["compare:dialogue_conference_on >= prior_information_notice_on"] == (
        False,
        "compare_fails",
    )


# --- innovation_partnership v2 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("capped", "tenderers", "expected"),
    [
        (None, None, (True, "compare_not_applicable")),  # not capped: fewer is allowed
        (False, 2, (True, "compare_not_applicable")),
        (True, 2, (False, "compare_fails")),
        (True, None, (False, "compare_unfilled")),
        (True, 3, (True, "compare_holds")),
    ],
)
def test_at_least_three_tenderers_only_when_the_number_is_capped(
    wf, owner, capped, tenderers, expected
):
    fields = {"participants_capped": capped, "tenderers_in_negotiation": tenderers}
    given = {k: v for k, v in fields.items() if v is not None}
    pid = in_stage(wf, owner, "innovation_partnership", "prequalification", given or None)
    tick(wf, owner, pid, "prequalified")

    found = criteria(wf, pid, "prequalified")

    assert found["compare:tenderers_in_negotiation >= 3.0"] == expected
    if expected[0]:
        workflow.submit_project(wf, owner, pid, gate="prequalified")
    else:
        assert refused(wf, owner, pid, "prequalified") == {
            "compare:tenderers_in_negotiation >= 3.0": expected[1]
        }


def test_the_purchase_price_stays_within_the_maksimumskostnad_and_targets_are_met(wf, owner, store):
    fields = {"maximum_cost": 20_000_000, "purchase_price": 21_000_000}
    pid = in_stage(wf, owner, "innovation_partnership", "test_approval", fields)
    tick(wf, owner, pid, "purchase_approved")
    upload(wf, owner, pid, store, "test_report")

    assert refused(wf, owner, pid, "purchase_approved") == {
        "field:performance_targets_met": "field_unticked",
        "compare:purchase_price <= maximum_cost": "compare_fails",
    }
    workflow.update_project(
        wf, owner, pid, fields={"purchase_price": 19_500_000, "performance_targets_met": True}
    )
    assert all(met for met, _ in criteria(wf, pid, "purchase_approved").values())


def test_development_rounds_are_counted_against_the_contracts_phases(
    wf, owner, kommune, ntnu, store
):
    fields = {
        "maximum_cost": 20_000_000,
        "accumulated_cost": 4_000_000,
        "development_phases": 2,
        "next_milestone_on": "2026-10-15",  # the milestone just reached: not ahead any more
    }
    pid = in_stage(wf, owner, "innovation_partnership", "development", fields)
    tick(wf, owner, pid, "phase_go")
    upload(wf, owner, pid, store, "milestone_report")

    assert refused(wf, owner, pid, "phase_go") == {
        "compare:next_milestone_on > today": "compare_fails"
    }
    assert criteria(wf, pid, "development_complete")[
        "compare:stage_round >= development_phases"
    ] == (False, "compare_fails")
    workflow.update_project(wf, owner, pid, fields={"next_milestone_on": "2027-03-01"})
    workflow.submit_project(wf, owner, pid, gate="phase_go")
    scores = {"milestone": 4, "cost": 4, "outlook": 4}
    workflow.decide_gate(wf, kommune, pid, decision="go", scores=scores)
    workflow.decide_gate(wf, ntnu, pid, decision="go", scores=scores)

    second = criteria(wf, pid, "phase_go")
    assert workflow.get_project(wf, pid).project["stage"] == "development"
    assert second["compare:stage_round < development_phases"] == (False, "compare_fails")
    assert second["checklist:milestone_reached"] == (False, "item_open")  # a new round
    assert criteria(wf, pid, "development_complete")[
        "compare:stage_round >= development_phases"
    ] == (True, "compare_holds")


def test_the_partnership_is_established_with_a_business_partner_and_dated_milestone(
    wf, owner, buyer, ntnu
):
    fields = {
        "participation_deadline": "2026-04-01",
        "contract_signed_on": "2026-06-01",
        "development_phases": 3,
        "next_milestone_on": "2026-05-01",
    }
    pid = in_stage(wf, owner, "innovation_partnership", "negotiation", fields)

    found = criteria(wf, pid, "partnership_established")

    assert found["partners:business"] == (False, "partners_missing")
    assert found["compare:next_milestone_on > contract_signed_on"] == (False, "compare_fails")
    assert found["compare:contract_signed_on > participation_deadline"] == (True, "compare_holds")
    assert found["attachments:procurement_protocol"] == (False, "attachment_missing")


def test_ipo_does_not_stall_while_the_council_decides(wf, owner):
    from datetime import timedelta

    from tests.calls_kit import GOOD, add_call

    waiting = in_stage(wf, owner, "ipo", "funding_application")
    idle = in_stage(wf, owner, "ipo", "funding_application")
    research = organisation(wf, "NTNU IDI", "research", approved=True)
    public = organisation(wf, "Trondheim kommune", "public")
    for pid in (waiting, idle):
        workflow.add_partner(wf, owner, pid, organisation_id=research, status="confirmed")
        workflow.add_partner(wf, owner, pid, organisation_id=public, status="confirmed")
    draft = workflow.create_application(
        wf,
        owner,
        waiting,
        call_id=add_call(wf),
        values={**GOOD, "applicant_organisation_id": public},
    )
    workflow.submit_application(wf, owner, waiting, draft)
    later = wf.clock() + timedelta(days=121)  # past the stage's 120 days

    stalled = workflow.stalled_projects(wf, as_of=later)

    assert [p["id"] for p in stalled.items] == [idle]
