"""The registry's endpoints (SPEC §4b), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import workflow
from tests.web.api_fixtures import both_databases  # noqa: F401  (the `db` fixture)

URL = "/api/v1/organisations"
NTNU = "974767880"


@pytest.fixture
def coord(api, coordinator):
    return api.as_(coordinator)


def test_a_coordinator_registers_reads_and_edits_an_organisation(coord):
    created = coord.post(
        URL,
        json={
            "name": "NTNU IDI",
            "type": "research",
            "org_number": NTNU,
            "approved_research": True,
            "keywords": ["KI", "ki", "helse"],
            "thematic_areas": ["helse_velferd"],
            "contacts": [{"name": "Kari", "email": "kari@ntnu.no", "role": "Leder"}],
        },
    )
    assert created.status_code == 201, created.json
    org = created.json
    assert created.headers["Location"].endswith(f"{URL}/{org['id']}")
    assert org["keywords"] == ["KI", "helse"]
    assert org["contacts"] == [{"name": "Kari", "email": "kari@ntnu.no", "role": "Leder"}]
    assert org["parent"] is None
    assert org["children"] == []

    parent = coord.post(URL, json={"name": "NTNU", "type": "research"}).json
    edited = coord.patch(
        f"{URL}/{org['id']}", json={"parent_id": parent["id"], "contacts": [], "active": False}
    )
    assert edited.status_code == 200, edited.json
    assert edited.json["parent"] == {"id": parent["id"], "name": "NTNU"}
    assert edited.json["contacts"] == []
    assert edited.json["active"] is False
    assert coord.get(f"{URL}/{parent['id']}").json["children"][0]["id"] == org["id"]
    assert coord.get(URL).json["total"] == 1
    assert coord.get(f"{URL}?active=false").json["items"][0]["id"] == org["id"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "X", "type": "public", "org_number": "974767881"}, 422, "org_number"),
        ({"name": "X", "type": "public", "parent_id": 99999}, 422, "parent_id"),
        ({"name": "X", "type": "public", "thematic_areas": ["moon"]}, 400, "thematic_areas"),
        ({"name": "X", "type": "public", "contacts": [{"email": "a@b.no"}]}, 400, "contacts"),
        ({"name": "X", "type": "public", "contacts": [{"name": "A", "email": "x"}]}, 422, None),
        ({"name": "X", "type": "public", "keywords": "ki"}, 400, "keywords"),
        ({"name": "X", "type": "public", "org_number": NTNU}, 409, "org_number"),
    ],
)
def test_bad_input_names_the_field(coord, body, status, field):
    coord.post(URL, json={"name": "NTNU", "type": "research", "org_number": NTNU})
    response = coord.post(URL, json=body)
    assert response.status_code == status, response.json
    fields = response.json["error"]["fields"]
    assert any(k.startswith(field or "contacts.0.email") for k in fields), fields


def test_a_cycle_is_refused(coord):
    top = coord.post(URL, json={"name": "Top", "type": "research"}).json["id"]
    low = coord.post(URL, json={"name": "Low", "type": "research", "parent_id": top}).json["id"]
    response = coord.patch(f"{URL}/{top}", json={"parent_id": low})
    assert response.status_code == 422
    assert response.json["error"]["field_codes"]["parent_id"]["code"] == "parent_cycle"


def test_merge_moves_the_partners_and_answers_the_survivor(api, wf, coord, owner):
    keep = coord.post(URL, json={"name": "NTNU", "type": "research"}).json["id"]
    dup = coord.post(URL, json={"name": "N.T.N.U", "type": "research"}).json["id"]
    pid = workflow.create_project(wf, owner, definition="lab", title="Lab")
    workflow.add_partner(wf, owner, pid, organisation_id=dup)

    merged = coord.post(f"{URL}/{dup}/merge", json={"into": keep})

    assert merged.status_code == 200, merged.json
    assert merged.json["organisation"]["id"] == keep
    assert merged.json["projects"] == [pid]
    assert coord.get(f"{URL}/{dup}").json["merged_into"] == keep
    assert coord.post(f"{URL}/{dup}/merge", json={"into": dup}).status_code == 422
    assert coord.post(f"{URL}/{dup}/merge", json={"into": "x"}).status_code == 400
    assert coord.post(f"{URL}/99999/merge", json={"into": keep}).status_code == 404
    assert api.as_(owner).post(f"{URL}/{dup}/merge", json={"into": keep}).status_code == 403


def test_proposals_are_listed_apart_and_confirmed(api, wf, coord, owner):
    oid = workflow.propose_organisation(wf, owner, name="Ny AS", type="business")
    waiting = coord.get(f"{URL}?confirmed=false").json
    assert [o["id"] for o in waiting["items"]] == [oid]
    assert api.as_(owner).post(f"{URL}/{oid}/confirm").status_code == 403
    confirmed = coord.post(f"{URL}/{oid}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json["confirmed"] is True


def test_the_list_filters_and_pages(coord):
    for n in range(3):
        coord.post(URL, json={"name": f"Bedrift {n}", "type": "business", "keywords": ["Læring"]})
    coord.post(URL, json={"name": "Kommune", "type": "public", "approved_research": True})
    assert coord.get(f"{URL}?q=LÆRING&per_page=2").json["total"] == 3
    assert len(coord.get(f"{URL}?q=LÆRING&per_page=2&page=2").json["items"]) == 1
    assert coord.get(f"{URL}?approved_research=true").json["items"][0]["name"] == "Kommune"
    assert coord.get(f"{URL}?per_page=101").status_code == 400
    assert coord.get(f"{URL}?thematic_area=moon").status_code == 400
