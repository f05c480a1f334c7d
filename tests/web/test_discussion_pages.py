"""The project room on the pages: the discussion (sanitised Markdown, @mentions), the
owner's answer form, the review page's question form and condition rows, and closing a
follow-up — in bokmål by default."""

from __future__ import annotations

from sqlalchemy import select

import workflow
from tests.conftest import GO
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from workflow.store.tables import outbox


def test_a_comment_is_posted_sanitised_and_mentions_are_mailed(
    login, wf, owner, kommune, new_project
):
    browser = login(kommune)
    browser.get(f"/projects/{new_project}")
    posted = browser.post(
        f"/projects/{new_project}/comments",
        {"body": f"**Viktig** for @{owner.email} <script>alert(1)</script>"},
        follow_redirects=True,
    )
    body = posted.get_data(as_text=True)
    assert "Kommentaren din er publisert." in body
    assert "<strong>Viktig</strong>" in body
    assert "<script>alert(1)</script>" not in body
    assert "Diskusjon" in body
    with wf.db.read() as conn:
        subjects = conn.execute(
            select(outbox.c.subject).where(outbox.c.recipient_email == owner.email)
        ).scalars()
        assert list(subjects) == [
            f"Kari Kommune nevnte deg: {workflow.get_project(wf, new_project).project['title']}"
        ]
    empty = browser.post(f"/projects/{new_project}/comments", {"body": ""}, follow_redirects=True)
    assert "Skriv noe først." in empty.get_data(as_text=True)


def test_a_comment_without_its_csrf_token_is_refused(wf, login, owner, new_project):
    browser = login(owner)
    browser.get(f"/projects/{new_project}")
    response = browser.client.post(f"/projects/{new_project}/comments", data={"body": "Hei"})
    assert response.status_code == 400
    assert workflow.project_comments(wf, new_project).total == 0


def test_a_question_from_the_review_is_answered_on_the_project_page(
    login, wf, owner, kommune, submitted_project
):
    gatekeeper = login(kommune)
    review = gatekeeper.text(f"/projects/{submitted_project}/review")
    assert "Be om mer informasjon" in review
    assert "Vilkår (bare ved godkjenning)" in review
    asked = gatekeeper.post(
        f"/projects/{submitted_project}/questions",
        {"text": "Hvem er brukerne?"},
        follow_redirects=True,
    )
    assert "Spørsmålet ditt er sendt" in asked.get_data(as_text=True)
    assert "Venter på svar fra prosjekteieren" in asked.get_data(as_text=True)

    owner_page = login(owner)
    page = owner_page.text(f"/projects/{submitted_project}")
    assert "Portvokterne ber om mer informasjon" in page
    (question,) = workflow.project_questions(wf, submitted_project)
    answered = owner_page.post(
        f"/projects/{submitted_project}/questions/{question['id']}/answer",
        {"body": "Hjemmeboende eldre"},
        follow_redirects=True,
    )
    text = answered.get_data(as_text=True)
    assert "Svaret ditt er publisert" in text
    assert "Portvokterne ber om mer informasjon" not in text
    assert "Hjemmeboende eldre" in text
    assert "Svar på spørsmålet fra Kari Kommune:" in text


def test_a_conditional_go_from_the_review_page_and_closing_its_follow_up(
    login, wf, owner, kommune, ntnu, submitted_project
):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)
    version = workflow.get_project(wf, submitted_project).project["version"]
    gatekeeper = login(ntnu)
    unknown = gatekeeper.post(
        f"/projects/{submitted_project}/review",
        {
            "decision": "go",
            "scores_relevance": "4",
            "scores_feasibility": "3",
            "version": str(version),
            "conditions_0_text": "Avklar personvern",
            "conditions_0_responsible_id": "ingen@example.no",
            "conditions_0_due_on": "2027-01-10",
        },
    )
    assert unknown.status_code == 400
    assert "Ingen aktiv bruker har denne e-postadressen." in unknown.get_data(as_text=True)
    passed = gatekeeper.post(
        f"/projects/{submitted_project}/review",
        {
            "decision": "go",
            "scores_relevance": "4",
            "scores_feasibility": "3",
            "version": str(version),
            "conditions_0_text": "Avklar personvern",
            "conditions_0_responsible_id": owner.email,
            "conditions_0_due_on": "2027-01-10",
        },
    )
    assert passed.status_code == 302, passed.get_data(as_text=True)

    browser = login(owner)
    page = browser.text(f"/projects/{submitted_project}")
    assert "Vilkår som følges opp" in page
    assert "Avklar personvern" in page
    (item,) = workflow.project_follow_ups(wf, submitted_project)
    version = workflow.get_project(wf, submitted_project).project["version"]
    closed = browser.post(
        f"/projects/{submitted_project}/follow-ups/{item['id']}/close",
        {"note": "DPIA gjort", "version": str(version)},
        follow_redirects=True,
    )
    text = closed.get_data(as_text=True)
    assert "Vilkåret er lukket." in text
    assert "DPIA gjort" in text
    assert workflow.project_follow_ups(wf, submitted_project)[0]["closed_at"] is not None
