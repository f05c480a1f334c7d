"""Conflict of interest on the pages and in the API (SPEC §2c), on both databases.

NTNU → NTNU Fakultet for økonomi → NTNU ISM (``tests/org_tree.py``); the lab project's
partner is NTNU ISM, so ISM's gatekeeper is conflicted and NTNU's university-wide one is not.
"""

from __future__ import annotations

import html

import pytest

import workflow
from tests.org_tree import (  # noqa: F401  (fixtures)
    add_partner_behind_the_owners_back,
    ism_gatekeeper_fixture,
    ntnu_gatekeeper_fixture,
    orgs_fixture,
)
from tests.web.api_fixtures import GO, both_databases, project_url  # noqa: F401  (`db`)
from tests.web.test_gates import GO_FORM

NB = "Du er inhabil: NTNU ISM er partner i prosjektet"
EN = "You have a conflict of interest: NTNU ISM is a partner in this project"


@pytest.fixture
def ism_project(wf, owner, ready_project, orgs):
    """The lab project, NTNU ISM one of its partners, submitted to its idea gate."""
    workflow.add_partner(wf, owner, ready_project, organisation_id=orgs.ism, role="Partner")
    workflow.submit_project(wf, owner, ready_project)
    return ready_project


def test_the_api_refuses_a_conflicted_vote_naming_the_organisation(
    api, wf, orgs, ism_gatekeeper, ism_project
):
    response = api.as_(ism_gatekeeper).post(
        project_url(ism_project, "/decisions"), json={"decision": "go", "scores": GO}
    )

    assert response.status_code == 403
    error = response.get_json()["error"]
    assert (error["code"], error["problem"]) == ("forbidden", "conflict_of_interest")
    assert error["params"] == {"organisation": orgs.ism, "name": "NTNU ISM", "gate": "idea_review"}
    assert "NTNU ISM" in error["message"]
    assert workflow.get_project(wf, ism_project).votes == []


def test_the_api_counts_a_partner_added_after_submission(
    api, wf, orgs, ism_gatekeeper, submitted_project
):
    add_partner_behind_the_owners_back(wf, submitted_project, orgs.ntnu)

    response = api.as_(ism_gatekeeper).post(
        project_url(submitted_project, "/decisions"), json={"decision": "hold"}
    )

    assert response.status_code == 403
    assert response.get_json()["error"]["params"]["name"] == "NTNU"


def test_the_api_lets_a_university_wide_gatekeeper_vote(api, ntnu_gatekeeper, ism_project):
    response = api.as_(ntnu_gatekeeper).post(
        project_url(ism_project, "/decisions"), json={"decision": "go", "scores": GO}
    )

    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize(("language", "says"), [("nb", NB), ("en", EN)])
def test_the_review_page_says_why_instead_of_the_form(
    login, wf, ism_gatekeeper, ism_project, language, says
):
    workflow.set_language(wf, ism_gatekeeper, language)

    body = html.unescape(login(ism_gatekeeper).text(f"/projects/{ism_project}/review"))

    assert says in body
    assert 'name="decision"' not in body


def test_the_review_page_offers_the_form_without_a_conflict(login, ntnu_gatekeeper, ism_project):
    body = login(ntnu_gatekeeper).text(f"/projects/{ism_project}/review")

    assert 'name="decision"' in body
    assert "inhabil" not in body


def test_a_conflicted_vote_posted_anyway_is_refused_with_the_reason(
    login, wf, ism_gatekeeper, ism_project
):
    browser = login(ism_gatekeeper)
    browser.get(f"/projects/{ism_project}/review")

    response = browser.post(f"/projects/{ism_project}/review", GO_FORM)

    assert response.status_code == 403
    assert NB in html.unescape(response.get_data(as_text=True))
    assert workflow.get_project(wf, ism_project).votes == []


def test_the_queue_marks_a_conflicted_project(
    login, wf, owner, orgs, ism_gatekeeper, ism_project, research_org
):
    other = workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Uten NTNU",
        fields={"need": "Behov", "budget": 1000, "own_share": 600},
    )
    workflow.set_checklist_item(wf, owner, other, "need_described", True)
    workflow.add_partner(wf, owner, other, organisation_id=research_org, role="FoU")
    workflow.submit_project(wf, owner, other)

    body = html.unescape(login(ism_gatekeeper).text("/gates"))

    rows = {row.split("</tr>")[0] for row in body.split("<tr>")[1:]}
    marked = [r for r in rows if 'class="badge badge-conflict"' in r]
    assert len(marked) == 1
    assert f"/projects/{ism_project}/review" in marked[0]
    assert ">Inhabil<" in marked[0]
    assert NB in marked[0]
    assert any(f"/projects/{other}/review" in r and "Inhabil" not in r for r in rows)
