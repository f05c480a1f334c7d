"""The gatekeeper's queue, the gate review page and its decisions, and resuming."""

from __future__ import annotations

import pytest

import workflow

GO_FORM = {"decision": "go", "scores_relevance": "4", "scores_feasibility": "3"}


def test_the_queue_lists_projects_awaiting_my_vote(login, kommune, submitted_project):
    body = login(kommune).text("/gates")

    assert "Digital hjemmeoppfølging" in body
    assert f'href="/projects/{submitted_project}/review"' in body
    assert "Idévurdering" in body


def test_the_queue_leaves_out_gates_of_other_groups(login, wf, create_user, submitted_project):
    outsider = create_user("gatekeeper", group="fylke")

    body = login(outsider).text("/gates")

    assert "Digital hjemmeoppfølging" not in body
    assert "Ingenting å beslutte" in body


def test_the_review_page_shows_requirements_scorecard_weights_and_votes(
    login, wf, kommune, ntnu, submitted_project
):
    workflow.decide_gate(
        wf, kommune, submitted_project, decision="go", scores={"relevance": 4, "feasibility": 3}
    )

    body = login(ntnu).text(f"/projects/{submitted_project}/review")

    assert "«Behov» er fylt ut" in body
    assert "Relevans" in body
    assert "(vekt 2)" in body
    assert "(vekt 1)" in body
    assert 'name="scores_relevance" type="radio" value="5"' in body
    assert "Kari Kommune (Kommunen)" in body
    assert "3,67" in body  # a decimal comma in bokmål
    assert "Stemmer som trengs: Kommunen 1, NTNU 1." in body


def test_a_go_from_each_group_passes_the_gate(login, wf, kommune, ntnu, submitted_project):
    first = login(kommune)
    first.get(f"/projects/{submitted_project}/review")
    response = first.post(f"/projects/{submitted_project}/review", GO_FORM, follow_redirects=True)
    assert "Stemmen din for «godkjenn» er registrert" in response.get_data(as_text=True)

    second = login(ntnu)
    second.get(f"/projects/{submitted_project}/review")
    response = second.post(f"/projects/{submitted_project}/review", GO_FORM, follow_redirects=True)

    assert "Beslutningen er registrert: Godkjenn (gå videre)." in response.get_data(as_text=True)
    assert workflow.get_project(wf, submitted_project).project["stage"] == "build"


def test_after_voting_the_project_leaves_my_queue(login, kommune, submitted_project):
    browser = login(kommune)
    browser.post(f"/projects/{submitted_project}/review", GO_FORM)

    assert f"/projects/{submitted_project}/review" not in browser.text("/gates")


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"decision": "kill", "confirm_kill": "y"}, "comment", "En kommentar er påkrevd"),
        ({"decision": "recycle", "comment": "  "}, "comment", "En kommentar er påkrevd"),
        (
            {"decision": "go", "scores_relevance": "4"},
            "scores_feasibility",
            "«Godkjenn» krever en poengsum",
        ),
        ({}, "decision", "Velg en beslutning."),
        ({"decision": "go", "scores_relevance": "9"}, "scores_relevance", "Not a valid choice"),
    ],
)
def test_a_decision_form_names_what_is_missing(
    login, kommune, submitted_project, form, field, message
):
    browser = login(kommune)
    browser.get(f"/projects/{submitted_project}/review")

    response = browser.post(f"/projects/{submitted_project}/review", form)

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in body
    assert message in body or "Ikke et gyldig valg" in body


def test_a_go_below_the_pass_score_is_explained(login, kommune, submitted_project):
    browser = login(kommune)
    form = {"decision": "go", "scores_relevance": "1", "scores_feasibility": "2"}

    response = browser.post(f"/projects/{submitted_project}/review", form)

    assert "Den vektede poengsummen 1,33 er under beslutningspunktets grense på 3,00" in (
        response.get_data(as_text=True)
    )


def test_a_kill_with_a_comment_stops_the_project(login, wf, owner, kommune, submitted_project):
    browser = login(kommune)

    browser.post(
        f"/projects/{submitted_project}/review",
        {"decision": "kill", "comment": "Dekket", "confirm_kill": "y"},
    )

    assert workflow.get_project(wf, submitted_project).project["status"] == "killed"
    timeline = login(owner).text(f"/projects/{submitted_project}")
    assert "stoppet prosjektet ved «Idévurdering»" in timeline
    assert "Dekket" in timeline


def test_a_project_not_in_review_sends_the_reviewer_to_its_page(login, kommune, held_project):
    response = login(kommune).get(f"/projects/{held_project}/review", follow_redirects=True)

    assert "Dette prosjektet venter ikke på en beslutning." in response.get_data(as_text=True)


def test_a_held_project_can_be_resumed_from_the_queue(login, wf, kommune, held_project):
    browser = login(kommune)
    body = browser.text("/gates")
    assert f'href="/projects/{held_project}/resume"' in body
    browser.get(f"/projects/{held_project}/resume")

    response = browser.post(
        f"/projects/{held_project}/resume",
        {"reason": "Finansieringen er på plass."},
        follow_redirects=True,
    )

    assert "Prosjektet er aktivt igjen." in response.get_data(as_text=True)
    assert workflow.get_project(wf, held_project).project["status"] == "active"


def test_a_second_vote_by_the_same_gatekeeper_is_refused(login, wf, kommune, submitted_project):
    browser = login(kommune)
    browser.post(f"/projects/{submitted_project}/review", GO_FORM)

    body = browser.text(f"/projects/{submitted_project}/review")

    assert "Du har stemt" in body
    response = browser.post(f"/projects/{submitted_project}/review", GO_FORM, follow_redirects=True)
    assert "Det var allerede gjort eller besluttet" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("decision", "stage_after", "status_after"),
    [("recycle", "idea", "active"), ("hold", "idea", "on_hold"), ("kill", "idea", "killed")],
)
def test_a_decision_in_the_form_moves_the_project(
    login, wf, kommune, submitted_project, decision, stage_after, status_after
):
    browser = login(kommune)

    response = browser.post(
        f"/projects/{submitted_project}/review",
        {"decision": decision, "comment": "Begrunnelse", "confirm_kill": "y"},
    )

    assert response.location == "/gates"
    project = workflow.get_project(wf, submitted_project).project
    assert (project["stage"], project["status"]) == (stage_after, status_after)


def test_a_gatekeeper_never_sees_their_own_project_in_the_queue(login, wf, kommune, research_org):
    pid = workflow.create_project(
        wf,
        kommune,
        definition="lab",
        title="Min egen",
        fields={"need": "x", "budget": 10, "own_share": 5},
    )
    workflow.set_checklist_item(wf, kommune, pid, "need_described", True)
    workflow.add_partner(wf, kommune, pid, organisation_id=research_org)
    workflow.submit_project(wf, kommune, pid)

    browser = login(kommune)

    assert "Min egen" not in browser.text("/gates")
    assert browser.get(f"/projects/{pid}/review").status_code == 403


# --- issue 15: races at the gate ---------------------------------------------------------


def test_the_losing_gatekeeper_hears_the_gate_was_decided_and_keeps_the_comment(
    login, wf, kommune, create_user, submitted_project
):
    colleague = create_user("gatekeeper", group="kommune")
    loser = login(colleague)
    loser.get(f"/projects/{submitted_project}/review")
    workflow.decide_gate(wf, kommune, submitted_project, decision="kill", comment="Ikke nå.")

    response = loser.post(
        f"/projects/{submitted_project}/review",
        {"decision": "recycle", "comment": "Mangler en tydelig gevinst."},
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "allerede" in body
    assert "Mangler en tydelig gevinst." in body


def test_a_vote_cast_meanwhile_shows_the_form_again_with_what_was_typed(
    login, wf, kommune, ntnu, submitted_project
):
    second = login(ntnu)
    second.get(f"/projects/{submitted_project}/review")
    seen = workflow.get_project(wf, submitted_project).project["version"]
    workflow.decide_gate(
        wf, kommune, submitted_project, decision="go", scores={"relevance": 4, "feasibility": 3}
    )

    response = second.post(
        f"/projects/{submitted_project}/review",
        {"decision": "kill", "comment": "Vi har ikke kapasitet.", "version": str(seen)},
    )

    body = response.get_data(as_text=True)
    assert "Vi har ikke kapasitet." in body
    assert "Kari Kommune (Kommunen)" in body


def test_resuming_asks_for_a_reason_first(login, wf, kommune, held_project):
    browser = login(kommune)
    page = browser.text(f"/projects/{held_project}/resume")
    assert 'name="reason"' in page

    response = browser.post(f"/projects/{held_project}/resume", {"reason": " "})

    assert response.status_code == 400
    assert workflow.get_project(wf, held_project).project["status"] == "on_hold"
    browser.post(f"/projects/{held_project}/resume", {"reason": "Budsjettet er klart."})
    (event,) = [e for e in workflow.project_events(wf, held_project) if e["action"] == "resumed"]
    assert event["payload"]["reason"] == "Budsjettet er klart."


def test_a_kill_needs_the_final_step_confirmed(login, wf, kommune, submitted_project):
    browser = login(kommune)
    browser.get(f"/projects/{submitted_project}/review")

    refused = browser.post(
        f"/projects/{submitted_project}/review", {"decision": "kill", "comment": "Nei."}
    )
    assert refused.status_code == 400
    assert 'name="confirm_kill"' in refused.get_data(as_text=True)
    assert workflow.get_project(wf, submitted_project).project["status"] == "in_review"

    browser.post(
        f"/projects/{submitted_project}/review",
        {"decision": "kill", "comment": "Nei.", "confirm_kill": "y"},
    )
    assert workflow.get_project(wf, submitted_project).project["status"] == "killed"


def test_a_coordinator_follows_a_review_read_only(login, coordinator, submitted_project):
    browser = login(coordinator)

    body = browser.text(f"/projects/{submitted_project}/review")

    assert "Kun lesetilgang" in body
    assert 'name="decision"' not in body
    refused = browser.post(f"/projects/{submitted_project}/review", {"decision": "hold"})
    assert refused.status_code == 403
