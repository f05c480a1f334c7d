"""SPEC §7 (kept): a form post without this session's CSRF token changes nothing — missing,
wrong, or valid for another user's session — and the API never acts on a session cookie."""

from __future__ import annotations

import pytest

import workflow

# (path, form data, the user who may post it); {pid} is a project ready for its gate
POSTS = [
    ("/projects/{pid}/edit", {"title": "Overtatt"}, "owner"),
    ("/projects/{pid}/checklist/need_described", {"done": ""}, "owner"),
    ("/projects/{pid}/partners", {"organisation_id": "{org}", "role": "Kapret"}, "owner"),
    ("/projects/{pid}/partners/{partner}/remove", {}, "owner"),
    ("/projects/{pid}/submit", {"gate": "idea_review"}, "owner"),
    ("/language", {"language": "en", "next": "/definitions"}, "owner"),
    ("/logout", {}, "owner"),
]
TOKENS = ["missing", "wrong", "another user's"]


def _token(kind: str, own: str, others: str) -> dict[str, str]:
    return {
        "missing": {},
        "wrong": {"csrf_token": own[::-1]},
        "another user's": {"csrf_token": others},
    }[kind]


@pytest.mark.parametrize("kind", TOKENS)
@pytest.mark.parametrize(("path", "data", "role"), POSTS)
def test_a_post_without_this_sessions_token_is_refused_and_changes_nothing(
    wf, login, owner, other_owner, ready_project, research_org, kind, path, data, role
):
    mine, theirs = login(owner), login(other_owner)
    mine.get("/projects/mine")
    theirs.get("/projects/mine")
    partner = workflow.get_project(wf, ready_project).partners[0]["id"]
    ids = {"pid": ready_project, "org": research_org, "partner": partner}
    form = {k: v.format(**ids) for k, v in data.items()}
    before = workflow.get_project(wf, ready_project).project["version"]

    response = mine.client.post(
        path.format(**ids), data={**form, **_token(kind, mine.token, theirs.token)}
    )

    assert response.status_code == 400
    assert "Skjemaet var utløpt" in response.get_data(as_text=True)
    assert workflow.get_project(wf, ready_project).project["version"] == before
    assert mine.get("/projects/mine").status_code == 200  # still logged in


@pytest.mark.parametrize("kind", TOKENS)
def test_a_decision_without_this_sessions_token_is_refused(
    wf, login, kommune, ntnu, submitted_project, kind
):
    mine, theirs = login(kommune), login(ntnu)
    mine.get(f"/projects/{submitted_project}/review")
    theirs.get(f"/projects/{submitted_project}/review")

    response = mine.client.post(
        f"/projects/{submitted_project}/review",
        data={
            "decision": "kill",
            "comment": "Nei",
            "confirm_kill": "y",
            **_token(kind, mine.token, theirs.token),
        },
    )

    assert response.status_code == 400
    assert workflow.get_project(wf, submitted_project).project["status"] == "in_review"


def test_the_api_ignores_the_session_cookie(wf, login, owner, ready_project):
    browser = login(owner)

    response = browser.client.patch(
        f"/api/v1/projects/{ready_project}", json={"title": "Via informasjonskapsel"}
    )

    assert response.status_code == 401
    assert workflow.get_project(wf, ready_project).project["title"] != "Via informasjonskapsel"
