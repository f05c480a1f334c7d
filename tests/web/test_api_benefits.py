"""The benefits API (SPEC §4b): the plan, measurements as a series, statuses, If-Match, on
both databases."""

from __future__ import annotations

from sqlalchemy import update

from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from tests.web.api_fixtures import project_url
from workflow.store.tables import projects

BENEFIT = {
    "description": "Færre timer på manuell registrering",
    "type": "efficiency",
    "chain_link": "user_effect",
    "indicator": "Timer per uke",
    "unit": "timer",
    "change_on": "2026-09-01",
    "baseline": {"value": 40, "on": "2026-08-01"},
    "target": {"value": 10, "on": "2026-10-01"},
    "nok_per_year": 350000,
}


def benefits_url(pid: int) -> str:
    return project_url(pid) + "/benefits"


def test_a_plan_built_and_measured_through_the_api(api, wf, owner, kommune, new_project):
    as_owner, as_manager = api.as_(owner), api.as_(kommune)
    added = as_owner.post(
        benefits_url(new_project),
        json={**BENEFIT, "owner_id": kommune.id},
        headers={"If-Match": '"1"'},
    )
    assert added.status_code == 201, added.json
    benefit = added.json
    assert added.headers["ETag"] == '"2"'
    assert added.headers["Location"].endswith(f"/benefits#benefit-{benefit['id']}")
    assert benefit["baseline"] == {"value": 40.0, "on": "2026-08-01"}
    assert benefit["owner"] == {"id": kommune.id, "name": kommune.name}
    assert (benefit["measurements"], benefit["unexpected"]) == ([], False)

    url = f"{benefits_url(new_project)}/{benefit['id']}"
    later = as_manager.post(url + "/measurements", json={"value": 9, "measured_on": "2026-10-05"})
    assert later.status_code == 201, later.json
    earlier = as_manager.post(
        url + "/measurements", json={"value": 30, "measured_on": "2026-09-15", "version": 3}
    )
    assert earlier.status_code == 201, earlier.json
    assert [m["measured_on"] for m in earlier.json["measurements"]] == ["2026-09-15", "2026-10-05"]

    unexplained = as_manager.post(
        url + "/measurements", json={"value": 20, "measured_on": "2026-10-20"}
    )
    assert unexplained.status_code == 422
    assert "explain" in unexplained.json["error"]["fields"]["comment"]
    stale = as_owner.patch(url, json={"unit": "t"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    late = as_owner.patch(url, json={"change_on": "2026-07-01"})
    assert late.status_code == 422
    assert "baseline.on" in late.json["error"]["fields"]
    changed = as_manager.patch(url, json={"indicator": "Timer i uka"})
    assert changed.status_code == 200, changed.json
    assert changed.json["indicator"] == "Timer i uka"

    listed = as_owner.get(benefits_url(new_project))
    assert listed.status_code == 200
    assert (listed.json["total"], listed.json["flagged"]) == (1, False)
    assert len(listed.json["items"][0]["measurements"]) == 2


def test_bad_input_is_a_400_naming_the_field(api, owner, new_project):
    as_owner = api.as_(owner)
    bad = as_owner.post(
        benefits_url(new_project),
        json={**BENEFIT, "type": "profit", "baseline": {"value": "mye", "on": "2026-08-01"}},
    )
    assert bad.status_code == 400
    assert {"type", "baseline.value"} <= set(bad.json["error"]["fields"])
    added = as_owner.post(benefits_url(new_project), json=BENEFIT).json
    url = f"{benefits_url(new_project)}/{added['id']}/measurements"
    for body in ({"value": "NaN", "measured_on": "2026-10-01"}, {"value": 1, "measured_on": "x"}):
        assert as_owner.post(url, json=body).status_code == 400
    assert as_owner.post(url + "x", json={}).status_code == 404


def test_measurements_go_on_after_completion_benefits_do_not(api, wf, owner, new_project):
    as_owner = api.as_(owner)
    added = as_owner.post(benefits_url(new_project), json=BENEFIT).json
    with wf.db.write() as conn:
        conn.execute(
            update(projects).where(projects.c.id == new_project).values(status="completed")
        )
    url = f"{benefits_url(new_project)}/{added['id']}"
    assert as_owner.patch(url, json={"unit": "t"}).status_code == 409
    assert as_owner.post(benefits_url(new_project), json=BENEFIT).status_code == 409
    measured = as_owner.post(url + "/measurements", json={"value": 8, "measured_on": "2026-10-02"})
    assert measured.status_code == 201, measured.json
