"""What the endpoints answer: the project document, lists, filters, definitions, organisations."""

from __future__ import annotations

from datetime import datetime, timedelta

import workflow
from tests.web.api_fixtures import GO, project_url

SPEC_KEYS = {
    "id",
    "definition",
    "definition_version",
    "title",
    "summary",
    "fields",
    "stage",
    "status",
    "version",
    "stalled",
    "owner",
    "partners",
    "checklist",
    "next_gate",
    "next_gates",
    "created_at",
    "updated_at",
}


def test_the_project_document_holds_what_the_spec_lists(api, owner, ready_project):
    project = api.as_(owner).get(project_url(ready_project)).json

    assert set(project) >= SPEC_KEYS
    assert (project["definition"], project["definition_version"]) == ("lab", 1)
    assert project["checklist"] == {"need_described": True}
    assert project["partners"][0]["type"] == "research"
    assert project["next_gate"]["gate"] == "idea_review"
    assert project["next_gate"]["ready"] is True
    assert {(c["kind"], c["met"]) for c in project["next_gate"]["requires"]} == {
        ("field", True),
        ("checklist", True),
        ("partners", True),
        ("compare", True),
    }
    assert datetime.fromisoformat(project["created_at"]).utcoffset() == timedelta(0)


def test_a_stage_with_several_gates_lists_them_all(
    api, wf, owner, kommune, ntnu, submitted_project
):
    for gatekeeper in (kommune, ntnu):
        workflow.decide_gate(wf, gatekeeper, submitted_project, decision="go", scores=GO)

    project = api.as_(owner).get(project_url(submitted_project)).json

    assert project["stage"] == "build"
    assert project["next_gate"] is None
    assert [g["gate"] for g in project["next_gates"]] == ["next_phase", "finish"]
    assert project["next_gates"][0]["requires"][0] == {
        "kind": "checklist",
        "key": "milestone_met",
        "met": False,
        "reason": "checklist item 'milestone_met' is not done",
        "code": "item_open",
        "params": {},
    }


def test_submitting_at_a_stage_with_several_gates_needs_the_gate(
    api, wf, owner, kommune, ntnu, submitted_project
):
    for gatekeeper in (kommune, ntnu):
        workflow.decide_gate(wf, gatekeeper, submitted_project, decision="go", scores=GO)

    response = api.as_(owner).post(project_url(submitted_project, "/submit"))

    assert response.status_code == 422
    assert "gate" in response.json["error"]["fields"]


def test_the_list_pages_newest_first_with_the_total(api, wf, owner):
    ids = [workflow.create_project(wf, owner, definition="lab", title=f"P{n}") for n in range(5)]

    first = api.as_(owner).get("/api/v1/projects?per_page=2").json
    third = api.as_(owner).get("/api/v1/projects?per_page=2&page=3").json
    beyond = api.as_(owner).get("/api/v1/projects?per_page=2&page=4").json

    assert (first["total"], first["page"], first["per_page"]) == (5, 1, 2)
    assert [p["id"] for p in first["items"]] == ids[::-1][:2]
    assert [p["id"] for p in third["items"]] == ids[:1]
    assert beyond["items"] == []


def test_the_list_filters_by_definition_stage_status_stalled_and_text(
    api, wf, owner, submitted_project
):
    other = workflow.create_project(wf, owner, definition="lab", title="Smart gatelys")
    client = api.as_(owner)

    def ids(query: str) -> list[int]:
        return [p["id"] for p in client.get(f"/api/v1/projects?{query}").json["items"]]

    assert ids("status=in_review") == [submitted_project]
    assert ids("q=gatelys") == [other]
    assert ids("definition=lab&stage=idea") == [other, submitted_project]
    assert ids("stage=build") == []
    assert ids("stalled=true") == []
    assert ids("stalled=false") == [other, submitted_project]


def test_definitions_come_with_stages_gates_and_criteria(api, owner):
    listed = api.as_(owner).get("/api/v1/definitions").json["items"]
    lab = api.as_(owner).get("/api/v1/definitions/lab").json

    assert "lab" in {d["key"] for d in listed}
    assert [s["key"] for s in lab["stages"]] == ["idea", "build", "done"]
    gate = lab["gates"][0]
    assert (gate["from"], gate["to"], gate["quorum"]) == (
        "idea",
        "build",
        {"kommune": 1, "ntnu": 1},
    )
    assert [c["key"] for c in gate["scorecard"]] == ["relevance", "feasibility"]
    assert api.as_(owner).get("/api/v1/definitions/lab?version=1").json == lab


def test_a_coordinator_registers_an_organisation_at_its_location(api, coordinator, research_org):
    created = api.as_(coordinator).post(
        "/api/v1/organisations", json={"name": "Trondheim kommune", "type": "public"}
    )

    assert created.status_code == 201
    assert created.json["key"] == "trondheim-kommune"
    assert api.as_(coordinator).get(created.headers["Location"]).json == created.json
    listed = api.as_(coordinator).get("/api/v1/organisations?type=public").json
    assert [o["name"] for o in listed["items"]] == ["Trondheim kommune"]
    assert api.as_(coordinator).get("/api/v1/organisations").json["total"] == 2


def test_a_partner_is_added_at_its_location_and_removed_there(api, wf, owner, ready_project):
    company = workflow.add_organisation(wf, None, name="Trondheim Tech AS", type="business")
    added = api.as_(owner).post(
        project_url(ready_project, "/partners"),
        json={"organisation_id": company, "role": "Leverandør"},
    )
    removed = api.as_(owner).delete(added.headers["Location"])

    assert added.status_code == 201
    assert len(added.json["partners"]) == 2
    assert added.json["partners"][1]["status"] == "invited"
    assert removed.status_code == 200
    assert [p["role"] for p in removed.json["partners"]] == ["FoU-partner"]
    assert removed.headers["ETag"] == f'"{removed.json["version"]}"'


def test_a_frozen_project_cannot_change_409(api, owner, submitted_project):
    response = api.as_(owner).patch(project_url(submitted_project), json={"title": "Nytt"})

    assert response.status_code == 409
    assert response.json["error"]["code"] == "not_allowed"


def test_the_audit_trail_is_oldest_first_with_actors(api, owner, coordinator, ready_project):
    events = api.as_(coordinator).get(project_url(ready_project, "/events")).json["items"]

    assert [e["action"] for e in events] == ["created", "checklist_ticked", "partner_added"]
    assert events[0]["actor"] == {"id": owner.id, "name": owner.name}


def test_null_clears_the_thematic_area_and_a_field(api, owner, ready_project):
    url = project_url(ready_project)
    api.as_(owner).patch(url, json={"thematic_area": "helse_velferd"})

    cleared = api.as_(owner).patch(url, json={"thematic_area": None, "fields": {"budget": None}})

    assert cleared.json["thematic_area"] is None
    assert "budget" not in cleared.json["fields"]


def test_a_gates_requirements_name_every_requirement_kind(api, owner):
    from workflow.requirements.registry import KINDS

    lab = api.as_(owner).get("/api/v1/definitions/lab").json

    assert set(lab["gates"][0]["requires"]) == {kind.key for kind in KINDS}
    assert lab["gates"][0]["requires"]["partners"] == {
        "research": {"min": 1, "status": None, "approved": False}
    }
