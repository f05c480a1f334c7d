"""The project page's «Søknader»: the current application with its call's rules in words,
money in bokmål, the history, and the forms that work without JavaScript."""

from __future__ import annotations

import workflow
from tests.calls_kit import add_call


def test_the_story_on_the_page(wf, login, owner, coordinator, ready_project):
    public = workflow.add_organisation(wf, None, name="Trondheim kommune", type="public")
    call = add_call(wf)
    browser = login(owner)
    page = f"/projects/{ready_project}"
    assert "Start søknaden" in browser.text(page)

    browser.post(f"{page}/applications", {"call_id": str(call)})
    app_id = workflow.list_applications(wf, ready_project).items[0]["id"]
    browser.get(page)
    saved = browser.post(
        f"{page}/applications/{app_id}",
        {
            "applied_amount": "6 250 000",
            "budget": "10000000",
            "planned_start": "2027-03-01",
            "planned_end": "2029-12-31",
            "applicant_organisation_id": str(public),
        },
    )
    assert saved.status_code == 303
    html = browser.text(page)
    assert "6\u00a0250\u00a0000\u00a0kr" in html
    assert "Egenandelen 3\u00a0750\u00a0000\u00a0kr er under 5\u00a0000\u00a0000\u00a0kr" in html

    browser.post(f"{page}/applications/{app_id}/submit")
    assert workflow.list_applications(wf, ready_project).items[0]["status"] == "draft"
    browser.get(page)
    browser.post(f"{page}/applications/{app_id}", {"applied_amount": "5000000"})
    browser.get(page)
    browser.post(f"{page}/applications/{app_id}/submit")
    assert workflow.list_applications(wf, ready_project).items[0]["status"] == "submitted"

    workflow.record_outcome(
        wf, coordinator, ready_project, app_id, outcome="rejected", feedback="For svak forankring"
    )
    html = browser.text(page)
    assert "For svak forankring" in html
    assert "Søk på nytt" in html
