"""The calls' endpoints (SPEC §4b), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import workflow
from tests.web.api_fixtures import both_databases  # noqa: F401  (the `db` fixture)

URL = "/api/v1/calls"
IPO = {
    "funder": "Norges forskningsråd",
    "title": {"nb": "Innovasjonsprosjekt i offentlig sektor 2027", "en": "IPO 2027"},
    "url": "https://www.forskningsradet.no/",
    "opens_on": "2027-08-12",
    "deadline": "2027-09-22T13:00:00+02:00",
    "decision_expected_on": "2027-12-15",
    "earliest_start": "2028-02-01",
    "latest_start": "2028-05-01",
    "latest_end": "2031-04-30",
    "min_amount": 3_000_000,
    "max_amount": 16_000_000,
    "max_support_rate": {"public": 0.5, "research": 0.5},
    "required_partners": {"research": 1, "public": 1},
    "required_attachments": ["project_description", "partner_information"],
}


@pytest.fixture
def coord(api, coordinator):
    return api.as_(coordinator)


def test_a_coordinator_registers_reads_and_patches_a_call(coord, api, owner):
    created = coord.post(URL, json=IPO)
    assert created.status_code == 201, created.json
    call = created.json
    assert created.headers["Location"].endswith(f"{URL}/{call['id']}")
    for key, value in IPO.items():
        assert call[key] == value, key
    assert call["phase"] == "upcoming"
    assert call["applications"] == {"total": 0, "items": []}

    # a UTC deadline comes back in Oslo time
    patched = coord.patch(
        f"{URL}/{call['id']}", json={"deadline": "2027-09-23T11:00:00Z", "max_amount": None}
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["deadline"] == "2027-09-23T13:00:00+02:00"
    assert patched.json["max_amount"] is None
    assert patched.json["min_amount"] == 3_000_000
    assert patched.json["title"] == IPO["title"]

    listed = api.as_(owner).get(f"{URL}?funder=forskningsråd&year=2027")
    assert listed.status_code == 200
    assert listed.json["total"] == 1
    assert listed.json["items"][0]["id"] == call["id"]
    assert api.as_(owner).get(f"{URL}?open=true").json["total"] == 0
    assert api.as_(owner).get(f"{URL}?phase=upcoming").json["total"] == 1
    assert api.as_(owner).get(f"{URL}/{call['id']}").json["funder"] == "Norges forskningsråd"


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"funder": ""}, "funder", 400),
        ({"title": {"en": "IPO"}}, "title", 400),
        ({"title": {"nb": "IPO", "de": "IPO"}}, "title", 400),
        ({"deadline": "2027-09-22T13:00:00"}, "deadline", 422),
        ({"deadline": "22.09.2027"}, "deadline", 400),
        ({"deadline": "2027-08-01T13:00:00+02:00"}, "deadline", 422),
        ({"opens_on": "2027-02-30"}, "opens_on", 400),
        ({"url": "ftp://example.no"}, "url", 422),
        ({"min_amount": -1}, "min_amount", 400),
        ({"min_amount": "1000"}, "min_amount", 400),
        ({"max_amount": 1_000_000}, "max_amount", 422),
        ({"latest_start": "2028-01-01"}, "latest_start", 422),
        ({"latest_end": "2028-04-01"}, "latest_end", 422),
        ({"decision_expected_on": "2027-09-01"}, "decision_expected_on", 422),
        ({"max_support_rate": {"public": 1.5}}, "max_support_rate", 400),
        ({"max_support_rate": {"alien": 0.5}}, "max_support_rate", 400),
        ({"required_partners": {"research": 0}}, "required_partners", 400),
        ({"required_attachments": ["Project description"]}, "required_attachments", 422),
        ({"colour": "red"}, "colour", 400),
    ],
)
def test_bad_input_names_the_field(coord, change, field, status):
    response = coord.post(URL, json={**IPO, **change})
    assert response.status_code == status, response.json
    assert any(name.startswith(field) for name in response.json["error"]["fields"]), response.json


def test_owners_cannot_write_calls(api, wf, owner, coordinator):
    assert api.as_(owner).post(URL, json=IPO).status_code == 403
    call_id = api.as_(coordinator).post(URL, json=IPO).json["id"]
    refused = api.as_(owner).patch(f"{URL}/{call_id}", json={"funder": "Meg"})
    assert refused.status_code == 403
    assert refused.json["error"]["problem"] == "calls_coordinators_only"
    assert workflow.get_call(wf, call_id)["funder"] == "Norges forskningsråd"


def test_unknown_calls_and_bad_queries(api, owner):
    client = api.as_(owner)
    assert client.get(f"{URL}/999999").status_code == 404
    assert client.get(f"{URL}/abc").status_code == 400
    assert client.get(f"{URL}?phase=soon").status_code == 400
    assert client.get(f"{URL}?year=12").status_code == 400
    assert client.patch(f"{URL}/999999", json={"funder": "X"}).status_code == 403
