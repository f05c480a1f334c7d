"""The project room's API (SPEC §4b): comments, questions, a conditional go and its
follow-ups, on both databases."""

from __future__ import annotations

import workflow
from tests.conftest import GO
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from tests.web.api_fixtures import project_url


def test_comments_keep_the_version_and_list_oldest_first(api, wf, owner, kommune, new_project):
    url = project_url(new_project, "/comments")
    posted = api.as_(kommune).post(url, json={"body": f"Se @{owner.email}"})
    assert posted.status_code == 201, posted.json
    assert posted.json["author"] == {"id": kommune.id, "name": kommune.name}
    assert posted.headers["Location"].endswith(f"#comment-{posted.json['id']}")
    api.as_(owner).post(url, json={"body": "Takk"})
    assert api.as_(owner).get(project_url(new_project)).headers["ETag"] == '"1"'

    listed = api.as_(owner).get(url + "?per_page=1&page=2")
    assert listed.json["total"] == 2
    assert [c["body"] for c in listed.json["items"]] == ["Takk"]
    empty = api.as_(owner).post(url, json={"body": ""})
    assert empty.status_code == 400
    assert "body" in empty.json["error"]["fields"]
    assert api.as_(owner).post(url, json={"body": "x", "extra": 1}).status_code == 400


def test_a_question_and_its_answer(api, wf, owner, kommune, submitted_project):
    asked = api.as_(kommune).post(
        project_url(submitted_project, "/questions"), json={"text": "Hvem er brukerne?"}
    )
    assert asked.status_code == 201, asked.json
    assert asked.json["open"] is True
    answer = project_url(submitted_project, f"/questions/{asked.json['id']}/answer")
    answered = api.as_(owner).post(answer, json={"body": "Eldre"})
    assert answered.status_code == 200, answered.json
    assert answered.json["answer"] == "Eldre"
    assert answered.json["open"] is False
    again = api.as_(owner).post(answer, json={"body": "Igjen"})
    assert again.status_code == 422
    assert again.json["error"]["field_codes"]["question"]["code"] == "question_answered"


def test_a_conditional_go_over_the_api_and_closing_its_follow_up(
    api, wf, owner, kommune, ntnu, submitted_project
):
    decide = project_url(submitted_project, "/decisions")
    bad = api.as_(kommune).post(
        decide,
        json={"decision": "go", "scores": GO, "conditions": [{"text": "x", "due_on": "snart"}]},
    )
    assert bad.status_code == 400
    unknown = {"text": "Avklar", "responsible_id": 999_999, "due_on": "2027-01-10"}
    refused = api.as_(kommune).post(
        decide, json={"decision": "go", "scores": GO, "conditions": [unknown]}
    )
    assert refused.status_code == 422
    assert "conditions.0.responsible_id" in refused.json["error"]["fields"]
    condition = {"text": "Avklar personvern", "responsible_id": owner.id, "due_on": "2027-01-10"}
    api.as_(kommune).post(decide, json={"decision": "go", "scores": GO, "conditions": [condition]})
    passed = api.as_(ntnu).post(decide, json={"decision": "go", "scores": GO})
    assert passed.json["decided"] is True

    listed = api.as_(ntnu).get(project_url(submitted_project, "/follow-ups"))
    (item,) = listed.json["items"]
    assert item["responsible"] == {"id": owner.id, "name": owner.name}
    assert item["closed_at"] is None
    version = workflow.get_project(wf, submitted_project).project["version"]
    close = project_url(submitted_project, f"/follow-ups/{item['id']}/close")
    stale = api.as_(owner).post(close, json={"note": "Ok"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    closed = api.as_(owner).post(close, json={"note": "DPIA gjort", "version": version})
    assert closed.status_code == 200, closed.json
    assert closed.headers["ETag"] == f'"{version + 1}"'
    assert closed.json["closed_by"] == {"id": owner.id, "name": owner.name}
    assert closed.json["note"] == "DPIA gjort"
