"""A project's whole life through the JSON API, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re

from tests.web.api_fixtures import (
    GO,
    both_databases,  # noqa: F401  (the `db` fixture)
    project_url,
)


def test_a_project_goes_from_idea_to_done_through_the_api(
    api, owner, kommune, ntnu, coordinator, research_org
):
    as_owner = api.as_(owner)

    created = as_owner.post(
        "/api/v1/projects",
        json={"definition": "lab", "title": "Digital hjemmeoppfølging", "fields": {"budget": 1000}},
    )
    assert created.status_code == 201, created.json
    pid = created.json["id"]
    assert created.headers["Location"].endswith(f"/api/v1/projects/{pid}")
    assert created.headers["ETag"] == '"1"'
    assert (created.json["stage"], created.json["status"]) == ("idea", "active")
    assert created.json["owner"]["id"] == owner.id

    refused = as_owner.post(project_url(pid, "/submit"))
    assert refused.status_code == 422
    unmet = {(u["kind"], u["key"]) for u in refused.json["error"]["unmet"]}
    assert unmet == {
        ("field", "need"),
        ("checklist", "need_described"),
        ("partners", "research"),
        ("compare", "own_share >= budget"),
    }

    edited = as_owner.patch(
        project_url(pid),
        json={"fields": {"need": "Færre innleggelser", "own_share": 600}},
        headers={"If-Match": created.headers["ETag"]},
    )
    assert edited.status_code == 200, edited.json
    assert edited.json["fields"] == {"need": "Færre innleggelser", "budget": 1000, "own_share": 600}
    ticked = as_owner.put(project_url(pid, "/checklist/need_described"), json={"done": True})
    assert ticked.json["checklist"] == {"need_described": True}
    partnered = as_owner.post(
        project_url(pid, "/partners"), json={"organisation_id": research_org, "role": "FoU"}
    )
    assert partnered.status_code == 201
    assert partnered.json["next_gate"]["ready"] is True

    submitted = as_owner.post(
        project_url(pid, "/submit"), json={"version": partnered.json["version"]}
    )
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["status"] == "in_review"
    assert submitted.json["review"]["gate"] == "idea_review"

    first = api.as_(kommune).post(
        project_url(pid, "/decisions"),
        json={"decision": "go", "scores": GO},
        headers={"If-Match": submitted.headers["ETag"]},
    )
    assert first.status_code == 200, first.json
    assert (first.json["decided"], first.json["outcome"]) == (False, None)
    second = api.as_(ntnu).post(
        project_url(pid, "/decisions"), json={"decision": "go", "scores": GO}
    )
    assert second.json["decided"] is True
    assert second.json["project"]["stage"] == "build"
    assert second.headers["ETag"] == f'"{second.json["project"]["version"]}"'

    as_owner.put(project_url(pid, "/checklist/milestone_met"), json={"done": True})
    as_owner.patch(project_url(pid), json={"fields": {"approved": True}})
    finishing = as_owner.post(project_url(pid, "/submit"), json={"gate": "finish"})
    assert finishing.status_code == 200, finishing.json
    held = api.as_(kommune).post(
        project_url(pid, "/decisions"), json={"decision": "hold", "comment": "Vent på budsjett"}
    )
    assert held.json["project"]["status"] == "on_hold"
    resumed = api.as_(ntnu).post(project_url(pid, "/resume"))
    assert resumed.status_code == 200, resumed.json
    assert resumed.json["status"] == "active"
    as_owner.post(project_url(pid, "/submit"), json={"gate": "finish"})
    done = api.as_(ntnu).post(project_url(pid, "/decisions"), json={"decision": "go"})
    assert done.status_code == 200, done.json
    assert (done.json["project"]["stage"], done.json["project"]["status"]) == ("done", "completed")

    events = api.as_(coordinator).get(project_url(pid, "/events"))
    actions = [e["action"] for e in events.json["items"]]
    assert actions[0] == "created"
    assert actions[-1] == "gate_passed"
    assert [e["seq"] for e in events.json["items"]] == list(range(1, len(actions) + 1))
    listed = api.as_(coordinator).get("/api/v1/projects?status=completed")
    assert [p["id"] for p in listed.json["items"]] == [pid]
    assert re.search(r"[+-]\d\d:\d\d$", listed.json["items"][0]["updated_at"])
