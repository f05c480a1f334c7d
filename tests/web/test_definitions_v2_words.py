"""The project page words what definitions v2 ask (issue 16) in bokmål and English: a
partner group and different methods by their labels, and an overdue decision at a gate with
a review SLA; the leader group by its label."""

from __future__ import annotations

from datetime import timedelta

import pytest

import workflow


@pytest.mark.parametrize(
    ("language", "users"),
    [
        ("nb", "Innbyggere eller brukere som partner: minst 1 (har 0)"),
        ("en", "Citizens or users as a partner: at least 1 (has 0)"),
    ],
)
def test_the_partner_group_is_worded_by_its_label(login, wf, owner, language, users):
    workflow.set_language(wf, owner, language)
    pid = workflow.create_project(wf, owner, definition="living_lab", title="Sommergater")

    body = login(owner).text(f"/projects/{pid}")

    assert users in body


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", "Minst to ulike metoder (har 1 ulike)"),
        ("en", "At least two different methods (has 1 different)"),
    ],
)
def test_different_methods_are_worded_by_their_label(
    login, wf, owner, kommune, ntnu, research_org, language, words
):
    workflow.set_language(wf, owner, language)
    pid = workflow.create_project(
        wf,
        owner,
        definition="living_lab",
        title="Sommergater",
        fields={"area": "midtbyen", "challenge": "Lite liv."},
    )
    for item in ("stakeholders_mapped", "challenge_co_defined", "roles_agreed"):
        workflow.set_checklist_item(wf, owner, pid, item, True)
    workflow.set_roles(wf, owner, pid, {"project_manager": owner.id})
    workflow.add_partner(wf, owner, pid, organisation_id=research_org)
    citizens = workflow.add_organisation(wf, None, name="Nabolaget", type="citizens")
    workflow.add_partner(wf, owner, pid, organisation_id=citizens)
    workflow.submit_project(wf, owner, pid)
    scores = {"stakeholders": 4, "shared_challenge": 4, "anchoring": 4}
    for gatekeeper in (kommune, ntnu):
        workflow.decide_gate(wf, gatekeeper, pid, decision="go", scores=scores)
    workflow.update_project(
        wf, owner, pid, fields={"method_1": "interviews", "method_2": "interviews"}
    )

    body = login(owner).text(f"/projects/{pid}")

    assert words in body


def test_an_overdue_decision_is_said_as_such_and_the_leader_group_has_its_label(
    app, login, wf, owner, create_user
):
    leder = create_user("gatekeeper", group="leder", name="Lene Leder")
    pid = workflow.create_project(
        wf, owner, definition="mdi", title="Nøkkeltavle", fields={"problem": "Vi leter."}
    )
    workflow.set_checklist_item(wf, owner, pid, "idea_described", True)
    workflow.set_roles(wf, owner, pid, {"leader": leder.id})
    workflow.submit_project(wf, owner, pid)
    later = wf.clock() + timedelta(days=15)
    workflow.flag_stalled(wf, as_of=later)
    wf.clock = lambda: later  # the pages look at the project 15 days on

    body = login(owner).text(f"/projects/{pid}")

    assert "Beslutningen er forsinket" in body
    assert "har ventet 15 dager på en beslutning ved «Rask tilbakemelding»" in body
    assert "det har ikke skjedd noe" not in body  # not the notice of an idle project
    from webapp.i18n import group_label

    with app.test_request_context():
        assert group_label("leder") == "Nærmeste leder"


def test_the_api_gives_a_gates_review_sla_and_the_new_requirement_kinds(api, owner):
    mdi = api.as_(owner).get("/api/v1/definitions/mdi").json
    lab = api.as_(owner).get("/api/v1/definitions/living_lab").json

    gates = {g["key"]: g for g in mdi["gates"]}
    assert gates["idea_feedback"]["review_sla_days"] == 14
    assert gates["idea_feedback"]["quorum"] == {"leder": 1}
    assert gates["selected_for_pilot"]["review_sla_days"] is None
    experiment = next(g for g in lab["gates"] if g["key"] == "experiment_approved")
    assert experiment["requires"]["distinct_fields"] == [
        {
            "key": "methods",
            "fields": ["method_1", "method_2", "method_3"],
            "min": 2,
            "label": {"nb": "Minst to ulike metoder", "en": "At least two different methods"},
        }
    ]
    (users,) = experiment["requires"]["partner_groups"]
    assert (users["types"], users["min"], users["status"]) == (
        ["citizens", "civil_society"],
        1,
        "confirmed",
    )
