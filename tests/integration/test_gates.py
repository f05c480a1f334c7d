"""Submitting to gates and deciding them: the rules of SPEC §2a, as state tables."""

from __future__ import annotations

import pytest

import workflow
from tests.conftest import GO
from workflow import (
    ConcurrentUpdate,
    GateNotSatisfied,
    InvalidInput,
    PermissionDenied,
    TransitionNotAllowed,
)


def state(wf, pid):
    view = workflow.get_project(wf, pid)
    return view.project["stage"], view.project["status"]


def test_submitting_an_incomplete_project_lists_every_unmet_requirement(wf, owner):
    pid = workflow.create_project(
        wf, owner, definition="lab", title="Tom idé", fields={"budget": 1000, "own_share": 100}
    )

    with pytest.raises(GateNotSatisfied) as caught:
        workflow.submit_project(wf, owner, pid)

    unmet = {(u.kind, u.key) for u in caught.value.unmet}
    assert unmet == {
        ("field", "need"),
        ("checklist", "need_described"),
        ("partners", "research"),
        ("compare", "own_share >= budget"),
    }
    assert state(wf, pid) == ("idea", "active")


def test_submitting_a_ready_project_puts_it_in_review(wf, owner, ready_project):
    workflow.submit_project(wf, owner, ready_project)

    assert state(wf, ready_project) == ("idea", "in_review")


@pytest.mark.parametrize(
    ("decision", "stage_after", "status_after"),
    [
        ("recycle", "idea", "active"),
        ("hold", "idea", "on_hold"),
        ("kill", "idea", "killed"),
    ],
)
def test_kill_hold_and_recycle_decide_at_once(
    wf, kommune, submitted_project, decision, stage_after, status_after
):
    result = workflow.decide_gate(
        wf, kommune, submitted_project, decision=decision, comment="Begrunnelse"
    )

    assert result.decided
    assert result.outcome == decision
    assert state(wf, submitted_project) == (stage_after, status_after)


def test_a_go_waits_for_every_quorum_group(wf, kommune, ntnu, submitted_project):
    first = workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)

    assert not first.decided
    assert state(wf, submitted_project) == ("idea", "in_review")

    second = workflow.decide_gate(wf, ntnu, submitted_project, decision="go", scores=GO)

    assert second.decided
    assert state(wf, submitted_project) == ("build", "active")


def test_two_go_votes_from_one_group_do_not_pass_a_joint_gate(wf, create_user, submitted_project):
    a = create_user("gatekeeper", group="kommune")
    b = create_user("gatekeeper", group="kommune")

    workflow.decide_gate(wf, a, submitted_project, decision="go", scores=GO)
    result = workflow.decide_gate(wf, b, submitted_project, decision="go", scores=GO)

    assert not result.decided
    assert state(wf, submitted_project) == ("idea", "in_review")


def test_a_go_counts_once_per_gatekeeper(wf, kommune, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)

    with pytest.raises(ConcurrentUpdate, match="already voted"):
        workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)


def test_owner_cannot_decide_on_their_own_project(wf, create_user, research_org):
    gatekeeper_owner = create_user("gatekeeper", group="kommune")
    pid = workflow.create_project(
        wf,
        gatekeeper_owner,
        definition="lab",
        title="Eget",
        fields={"need": "x", "budget": 10, "own_share": 5},
    )
    workflow.set_checklist_item(wf, gatekeeper_owner, pid, "need_described", True)
    workflow.add_partner(wf, gatekeeper_owner, pid, organisation_id=research_org)
    workflow.submit_project(wf, gatekeeper_owner, pid)

    with pytest.raises(PermissionDenied, match="own project"):
        workflow.decide_gate(wf, gatekeeper_owner, pid, decision="go", scores=GO)


def test_only_gatekeepers_of_a_quorum_group_vote(wf, create_user, submitted_project):
    outsider = create_user("gatekeeper", group="fylke")
    coordinator = create_user("coordinator")

    for actor in (outsider, coordinator):
        with pytest.raises(PermissionDenied):
            workflow.decide_gate(wf, actor, submitted_project, decision="kill", comment="nei")
    assert state(wf, submitted_project) == ("idea", "in_review")


@pytest.mark.parametrize(
    ("decision", "scores", "comment", "field"),
    [
        ("maybe", None, None, "decision"),
        ("kill", None, "", "comment"),
        ("recycle", None, "   ", "comment"),
        ("go", {"relevance": 4}, None, "scores.feasibility"),
        ("go", {"relevance": 6, "feasibility": 3}, None, "scores.relevance"),
        ("go", {"relevance": "4", "feasibility": 3}, None, "scores.relevance"),
        ("go", {"relevance": 4, "feasibility": 3, "beauty": 5}, None, "scores.beauty"),
        ("go", {"relevance": 2, "feasibility": 3}, None, "scores"),
    ],
)
def test_bad_votes_name_the_field_and_change_nothing(
    wf, kommune, submitted_project, decision, scores, comment, field
):
    before = workflow.get_project(wf, submitted_project).project["version"]

    with pytest.raises(InvalidInput) as caught:
        workflow.decide_gate(
            wf, kommune, submitted_project, decision=decision, scores=scores, comment=comment
        )

    assert field in caught.value.fields
    assert workflow.get_project(wf, submitted_project).project["version"] == before


def test_a_decided_gate_cannot_be_decided_again(wf, kommune, ntnu, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="kill", comment="Stopp")

    with pytest.raises(ConcurrentUpdate, match="already decided"):
        workflow.decide_gate(wf, ntnu, submitted_project, decision="go", scores=GO)


def test_nothing_happens_to_a_killed_project(wf, owner, kommune, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="kill", comment="Stopp")

    with pytest.raises(TransitionNotAllowed):
        workflow.update_project(wf, owner, submitted_project, title="Nytt navn")
    with pytest.raises(TransitionNotAllowed):
        workflow.submit_project(wf, owner, submitted_project)
    with pytest.raises(TransitionNotAllowed):
        workflow.set_checklist_item(wf, owner, submitted_project, "need_described", False)


def test_a_project_in_review_is_frozen(wf, owner, research_org, submitted_project):
    with pytest.raises(TransitionNotAllowed, match="in_review"):
        workflow.update_project(wf, owner, submitted_project, fields={"need": "endret"})
    with pytest.raises(TransitionNotAllowed):
        workflow.set_checklist_item(wf, owner, submitted_project, "need_described", False)
    with pytest.raises(TransitionNotAllowed, match="partners"):
        workflow.add_partner(
            wf, owner, submitted_project, organisation_id=research_org, role="annen rolle"
        )


def test_a_held_project_resumes_to_active_work(wf, kommune, ntnu, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="hold")

    workflow.resume_project(wf, ntnu, submitted_project)

    assert state(wf, submitted_project) == ("idea", "active")


def test_the_owner_cannot_resume_their_own_project(wf, owner, kommune, submitted_project):
    workflow.decide_gate(wf, kommune, submitted_project, decision="hold")

    with pytest.raises(PermissionDenied):
        workflow.resume_project(wf, owner, submitted_project)


def test_resume_is_only_for_projects_on_hold(wf, kommune, submitted_project):
    with pytest.raises(TransitionNotAllowed, match="'resume' is not allowed while 'in_review'"):
        workflow.resume_project(wf, kommune, submitted_project)


def pass_idea_gate(wf, kommune, ntnu, pid):
    workflow.decide_gate(wf, kommune, pid, decision="go", scores=GO)
    workflow.decide_gate(wf, ntnu, pid, decision="go", scores=GO)


def test_a_repeated_phase_counts_rounds_and_starts_a_fresh_checklist(
    wf, owner, kommune, ntnu, submitted_project
):
    pass_idea_gate(wf, kommune, ntnu, submitted_project)
    workflow.set_checklist_item(wf, owner, submitted_project, "milestone_met", True)
    workflow.submit_project(wf, owner, submitted_project, gate="next_phase")

    workflow.decide_gate(wf, kommune, submitted_project, decision="go")

    view = workflow.get_project(wf, submitted_project)
    assert (view.project["stage"], view.project["stage_round"]) == ("build", 2)
    assert view.checklist == {"milestone_met": False}


def test_entering_a_final_stage_completes_the_project(wf, owner, kommune, ntnu, submitted_project):
    pass_idea_gate(wf, kommune, ntnu, submitted_project)
    workflow.update_project(wf, owner, submitted_project, fields={"approved": True})
    workflow.submit_project(wf, owner, submitted_project, gate="finish")

    workflow.decide_gate(wf, ntnu, submitted_project, decision="go")

    assert state(wf, submitted_project) == ("done", "completed")
    with pytest.raises(TransitionNotAllowed):
        workflow.update_project(wf, owner, submitted_project, title="Etterpå")


def test_recycle_goes_to_the_gates_recycle_stage(wf, owner, kommune, ntnu, submitted_project):
    pass_idea_gate(wf, kommune, ntnu, submitted_project)
    workflow.update_project(wf, owner, submitted_project, fields={"approved": True})
    workflow.submit_project(wf, owner, submitted_project, gate="finish")

    workflow.decide_gate(wf, kommune, submitted_project, decision="recycle", comment="Mer arbeid")

    assert state(wf, submitted_project) == ("idea", "active")


def test_a_stage_with_several_gates_needs_the_gate_named(
    wf, owner, kommune, ntnu, submitted_project
):
    pass_idea_gate(wf, kommune, ntnu, submitted_project)

    with pytest.raises(InvalidInput) as caught:
        workflow.submit_project(wf, owner, submitted_project)

    assert "next_phase" in caught.value.fields["gate"].text


def test_a_required_boolean_must_be_ticked(wf, owner, kommune, ntnu, submitted_project):
    pass_idea_gate(wf, kommune, ntnu, submitted_project)
    workflow.update_project(wf, owner, submitted_project, fields={"approved": False})

    with pytest.raises(GateNotSatisfied) as caught:
        workflow.submit_project(wf, owner, submitted_project, gate="finish")

    assert [(u.kind, u.key) for u in caught.value.unmet] == [("field", "approved")]


def test_submitting_and_deciding_queue_mail_in_each_recipients_language(
    wf, create_user, owner, ready_project
):
    english = create_user("gatekeeper", group="ntnu", language="en")
    create_user("gatekeeper", group="kommune")
    workflow.submit_project(wf, owner, ready_project)

    from sqlalchemy import select

    from workflow.store.tables import OutboxMessage

    with wf.db.read() as conn:
        mail = conn.execute(select(OutboxMessage.__table__)).mappings().all()
    by_email = {m["recipient_email"]: m for m in mail}
    assert by_email[english.email]["subject"].startswith("For review:")
    assert f"http://samspill.test/projects/{ready_project}" in by_email[english.email]["body"]
    assert owner.email not in by_email
    assert len(mail) == 2


RECYCLE_NAMESAKE = """
key: namesake
version: 1
title: {nb: Navnebror, en: Namesake}
description: {nb: "Til tester.", en: "For tests."}
stages:
  - {key: idea, title: {nb: Idé, en: Idea}, sla_days: 10, guidance: {nb: Idé., en: Idea.}}
  - {key: build, title: {nb: Bygge, en: Build}, sla_days: 10, guidance: {nb: Bygg., en: Build.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - {key: review, from: idea, to: build, title: {nb: Vurdering, en: Review}}
  - {key: review__recycle, from: idea, to: done, title: {nb: Snarvei, en: Shortcut}}
  - {key: finish, from: build, to: done, title: {nb: Avslutning, en: Finish}}
"""


def test_recycling_a_gate_never_fires_a_gate_named_after_its_recycle(wf, tmp_path, owner, kommune):
    path = tmp_path / "namesake.yaml"
    path.write_text(RECYCLE_NAMESAKE, encoding="utf-8")
    with wf.db.write() as conn:
        workflow.store.catalog.register_definitions(
            conn, workflow.load_definitions([path]), now=wf.clock()
        )
    wf.reload_definitions()
    pid = workflow.create_project(wf, owner, definition="namesake", title="Navnebror")
    workflow.submit_project(wf, owner, pid, gate="review")

    result = workflow.decide_gate(wf, kommune, pid, decision="recycle", comment="Ikke ennå")

    assert (result.stage, result.status) == ("idea", "active")
    assert state(wf, pid) == ("idea", "active")


# --- issue 15 item 10: the owner's mail says who decided and why ----------------------------


def test_the_decision_mail_says_who_decided_and_why(wf, kommune, submitted_project):
    from sqlalchemy import select

    from workflow.store.tables import outbox

    workflow.decide_gate(
        wf, kommune, submitted_project, decision="hold", comment="Venter på budsjettet."
    )

    with wf.db.read() as conn:
        subject, body = conn.execute(
            select(outbox.c.subject, outbox.c.body)
            .where(outbox.c.project_id == submitted_project)
            .order_by(outbox.c.id.desc())
        ).first()
    assert f"{kommune.name} (kommune) satte prosjektet på vent" in subject
    assert "Begrunnelse: Venter på budsjettet." in body
    assert "Portvokterne" not in subject
