"""The reports API (SPEC §4b): shapes, statuses, If-Match, on both databases."""

from __future__ import annotations

from sqlalchemy import update

import workflow
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from tests.web.api_fixtures import project_url
from workflow.store.tables import projects


def reports_url(pid: int) -> str:
    return project_url(pid) + "/reports"


def test_add_deliver_and_approve_a_progress_report(api, wf, owner, coordinator, new_project):
    as_owner, as_coordinator = api.as_(owner), api.as_(coordinator)

    added = as_owner.post(
        reports_url(new_project),
        json={"kind": "progress", "due_on": "2027-03-01"},
        headers={"If-Match": '"1"'},
    )
    assert added.status_code == 201, added.json
    report = added.json
    assert added.headers["ETag"] == '"2"'
    assert added.headers["Location"].endswith(f"/reports#report-{report['id']}")
    assert {k: report[k] for k in ("kind", "due_on", "status", "delivered_on", "approved_on")} == {
        "kind": "progress",
        "due_on": "2027-03-01",
        "status": "due",
        "delivered_on": None,
        "approved_on": None,
    }
    assert report["overdue"] is False
    assert report["approved_by"] is None

    url = f"{reports_url(new_project)}/{report['id']}"
    too_early = as_coordinator.post(url + "/approve")
    assert too_early.status_code == 409
    assert too_early.json["error"]["problem"] == "report_not_delivered"
    stale = as_owner.post(url + "/deliver", json={"note": "x"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412

    delivered = as_owner.post(url + "/deliver", json={"note": "Etter plan", "version": 2})
    assert delivered.status_code == 200, delivered.json
    assert delivered.json["status"] == "delivered"
    assert delivered.json["delivered_on"] == "2026-11-02"
    assert delivered.headers["ETag"] == '"3"'
    assert as_owner.post(url + "/approve").status_code == 403

    approved = as_coordinator.post(url + "/approve", headers={"If-Match": '"3"'})
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved"
    assert approved.json["approved_on"] == "2026-11-02"
    assert approved.json["approved_by"] == {"id": coordinator.id, "name": coordinator.name}

    listed = api.as_(owner).get(reports_url(new_project))
    assert listed.status_code == 200
    assert listed.headers["ETag"] == '"4"'
    assert listed.json["total"] == 1
    assert listed.json["payment_held"] is False
    assert listed.json["items"][0]["status"] == "approved"


def test_the_final_reports_day_is_derived_and_listed(api, wf, owner, new_project):
    as_owner = api.as_(owner)
    missing = as_owner.post(reports_url(new_project), json={"kind": "final"})
    assert missing.status_code == 422
    assert missing.json["error"]["field_codes"]["due_on"]["code"] == "report_no_end_date"
    assert "project_end" in missing.json["error"]["fields"]["due_on"]

    with wf.db.write() as conn:
        conn.execute(
            update(projects)
            .where(projects.c.id == new_project)
            .values(fields={"project_end": "2027-01-31"})
        )
    assert as_owner.get(reports_url(new_project)).json["final_due_on"] == "2027-02-28"
    final = as_owner.post(reports_url(new_project), json={"kind": "final"})
    assert final.status_code == 201, final.json
    assert final.json["due_on"] == "2027-02-28"
    again = as_owner.post(reports_url(new_project), json={"kind": "final"})
    assert again.status_code == 409


def test_the_list_is_paginated_and_flags_overdue_reports_and_held_payment(api, owner, new_project):
    as_owner = api.as_(owner)
    for day in ("2027-05-01", "2026-10-01", "2027-01-01"):
        response = as_owner.post(reports_url(new_project), json={"kind": "progress", "due_on": day})
        assert response.status_code == 201

    page = as_owner.get(reports_url(new_project) + "?per_page=2").json
    assert (page["total"], page["page"], page["per_page"]) == (3, 1, 2)
    assert [(r["due_on"], r["overdue"]) for r in page["items"]] == [
        ("2026-10-01", True),
        ("2027-01-01", False),
    ]
    assert page["payment_held"] is True
    rest = as_owner.get(reports_url(new_project) + "?per_page=2&page=2").json
    assert [r["due_on"] for r in rest["items"]] == ["2027-05-01"]


def test_bad_input_is_a_4xx_naming_the_field(api, owner, new_project):
    as_owner = api.as_(owner)
    for body, field in [
        ({"kind": "annual", "due_on": "2027-01-01"}, "kind"),
        ({"kind": "progress", "due_on": "2027-02-30"}, "due_on"),
        ({"kind": "progress", "due_on": "2027-01-01", "extra": 1}, "extra"),
    ]:
        response = as_owner.post(reports_url(new_project), json=body)
        assert response.status_code == 400, response.json
        assert field in response.json["error"]["fields"]
    no_day = as_owner.post(reports_url(new_project), json={"kind": "progress"})
    assert no_day.status_code == 422
    assert no_day.json["error"]["field_codes"]["due_on"]["code"] == "required"
    assert as_owner.post(reports_url(new_project) + "/99/deliver").status_code == 404
    assert as_owner.get(project_url(99999) + "/reports").status_code == 404
    assert as_owner.post(reports_url(new_project) + "/abc/deliver").status_code == 400


def test_reports_go_on_after_completion_and_stop_when_killed(api, wf, owner, new_project):
    as_owner = api.as_(owner)
    for status, expected in (("completed", 201), ("killed", 409)):
        with wf.db.write() as conn:
            conn.execute(update(projects).where(projects.c.id == new_project).values(status=status))
        response = as_owner.post(
            reports_url(new_project), json={"kind": "progress", "due_on": "2027-01-01"}
        )
        assert response.status_code == expected, response.json
    assert workflow.project_reports(wf, new_project).items[0]["status"] == "due"
