"""The applications API (SPEC §4b): start, edit, submit (422 listing the call's unmet rules),
the funder's decision, withdraw, re-apply; If-Match and the project's version."""

from __future__ import annotations

import pytest

import workflow
from tests.calls_kit import GOOD, add_call
from tests.web.api_fixtures import both_databases, project_url

db = both_databases


@pytest.fixture
def public_org(wf):
    return workflow.add_organisation(wf, None, name="Trondheim kommune", type="public")


def etag(api, pid):
    return api.get(project_url(pid)).headers["ETag"]


def test_the_story_through_the_api(api, wf, owner, coordinator, ready_project, public_org):
    call = add_call(wf)
    other = add_call(wf, title={"nb": "IPO 2027", "en": "IPO 2027"})
    as_owner, as_coordinator = api.as_(owner), api.as_(coordinator)
    url = project_url(ready_project, "/applications")

    created = as_owner.post(
        url,
        json={
            "call_id": call,
            **GOOD,
            "applied_amount": 7_000_000,
            "applicant_organisation_id": public_org,
            "budget_lines": [{"category": "salaries", "amount": 6_000_000}],
            "financing": [{"organisation_id": public_org, "cash": 0, "in_kind": 5_000_000}],
        },
        headers={"If-Match": etag(as_owner, ready_project)},
    )
    assert created.status_code == 201, created.json
    app = created.json
    assert created.headers["Location"].endswith(f"/applications/{app['id']}")
    assert app["status"] == "draft"
    assert app["call"]["funder"] == "Forskningsrådet"
    rules = {r["key"]: r["met"] for r in app["call_rules"]}
    assert rules["own_share"] is False

    refused = as_owner.post(f"{url}/{app['id']}/submit", json={})
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "call_rules_unmet"
    assert [(u["kind"], u["key"]) for u in refused.json["error"]["unmet"]] == [
        ("call_rules", "own_share")
    ]

    stale = as_owner.patch(
        f"{url}/{app['id']}", json={"applied_amount": 5_000_000}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    before = etag(as_owner, ready_project)
    fixed = as_owner.patch(
        f"{url}/{app['id']}", json={"applied_amount": 5_000_000}, headers={"If-Match": before}
    )
    assert fixed.status_code == 200
    assert fixed.headers["ETag"] != before
    assert fixed.json["call_rules_met"] is True

    submitted = as_owner.post(f"{url}/{app['id']}/submit", json={})
    assert submitted.status_code == 200
    assert submitted.json["status"] == "submitted"
    assert submitted.json["submitted_at"]

    assert (
        as_owner.post(f"{url}/{app['id']}/outcome", json={"outcome": "rejected"}).status_code == 403
    )
    rejected = as_coordinator.post(
        f"{url}/{app['id']}/outcome",
        json={"outcome": "rejected", "feedback": "Svak forankring", "decided_on": "2027-02-01"},
    )
    assert rejected.status_code == 200
    assert rejected.json["feedback"] == "Svak forankring"

    again = as_owner.post(f"{url}/{app['id']}/reapply", json={"call_id": other})
    assert again.status_code == 201
    second = again.json
    assert (second["previous_id"], second["status"], second["current"]) == (
        app["id"],
        "draft",
        True,
    )
    as_owner.post(f"{url}/{second['id']}/submit", json={})
    too_much = as_coordinator.post(
        f"{url}/{second['id']}/outcome", json={"outcome": "granted", "granted_amount": 6_000_000}
    )
    assert too_much.status_code == 422
    assert "granted_amount" in too_much.json["error"]["fields"]
    granted = as_coordinator.post(
        f"{url}/{second['id']}/outcome", json={"outcome": "granted", "granted_amount": 4_000_000}
    )
    assert granted.json["status"] == "granted"

    listed = as_owner.get(url).json
    assert listed["total"] == 2
    assert [i["status"] for i in listed["items"]] == ["granted", "rejected"]


def test_withdraw_and_one_in_progress(api, wf, owner, ready_project):
    call = add_call(wf)
    as_owner = api.as_(owner)
    url = project_url(ready_project, "/applications")
    first = as_owner.post(url, json={"call_id": call}).json

    busy = as_owner.post(url, json={"call_id": call})
    assert busy.status_code == 409
    withdrawn = as_owner.post(f"{url}/{first['id']}/withdraw", json={})
    assert withdrawn.json["status"] == "withdrawn"
    assert as_owner.post(url, json={"call_id": call}).status_code == 201


def test_bad_input_is_named(api, wf, owner, other_owner, ready_project):
    call = add_call(wf)
    url = project_url(ready_project, "/applications")
    as_owner = api.as_(owner)

    assert as_owner.post(url, json={"call_id": 999999}).status_code == 422
    assert as_owner.post(url, json={"call_id": call, "budget": -1}).status_code == 400
    assert as_owner.post(url, json={"call_id": call, "colour": "x"}).status_code == 400
    assert api.as_(other_owner).post(url, json={"call_id": call}).status_code == 403
    assert as_owner.get(project_url(999999, "/applications")).status_code == 404
    assert as_owner.patch(f"{url}/999999", json={}).status_code == 404
