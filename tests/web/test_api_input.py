"""Bad input is a 4xx with SPEC §4's error body naming the field, never a 500."""

from __future__ import annotations

import pytest

from tests.web.api_fixtures import (
    both_databases,  # noqa: F401  (NUL and overflow are PostgreSQL's)
    project_url,
)

NEW = "/api/v1/projects"


def error_of(response, status):
    """The error body of ``response``, after checking its status and shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.json["error"]
    assert set(error) >= {"code", "message", "fields"}
    return error


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Uten definisjon"}, "definition"),
        ({"definition": "lab"}, "title"),
        ({"definition": "nope", "title": "X"}, "definition"),
        ({"definition": "lab", "title": 5}, "title"),
        ({"definition": "lab", "title": "X" * 201}, "title"),
        ({"definition": "lab", "title": "X", "summary": "s" * 100_001}, "summary"),
        ({"definition": "lab", "title": "Nul\x00"}, "title"),
        ({"definition": "lab", "title": "X", "owner_id": 1}, "owner_id"),
        ({"definition": "lab", "title": "X", "thematic_area": "s" * 65}, "thematic_area"),
        ({"definition": "lab", "title": "X", "fields": []}, "fields"),
        ({"definition": "lab", "title": "X", "fields": {"need": {"a": 1}}}, "fields.need"),
        ({"definition": "lab", "title": "X", "fields": {"need": "a\x00b"}}, "fields.need"),
    ],
)
def test_a_bad_new_project_is_400_naming_the_field(api, owner, body, field):
    error = error_of(api.as_(owner).post(NEW, json=body), 400)

    assert field in error["fields"], error
    assert error["code"] == "invalid_input"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"definition": "lab", "title": "X", "fields": {"nope": 1}}, "fields.nope"),
        ({"definition": "lab", "title": "X", "fields": {"budget": "mye"}}, "fields.budget"),
        ({"definition": "lab", "title": "X", "fields": {"budget": 1e400}}, "fields.budget"),
        # thematic areas are data an admin maintains: an unknown one is a rule's refusal
        ({"definition": "lab", "title": "X", "thematic_area": "sport"}, "thematic_area"),
    ],
)
def test_a_well_formed_project_the_definition_refuses_is_422_naming_the_field(
    api, owner, body, field
):
    error = error_of(api.as_(owner).post(NEW, json=body), 422)

    assert field in error["fields"], error
    assert error["code"] == "invalid_input"


def test_an_engine_field_error_carries_its_code_and_params_beside_the_english(api, owner):
    body = {"definition": "lab", "title": "X", "fields": {"budget": "mye", "area": "east"}}

    error = error_of(api.as_(owner).post(NEW, json=body), 422)

    assert error["fields"]["fields.area"] == "must be one of north, south"
    assert error["field_codes"]["fields.area"] == {
        "code": "not_one_of",
        "params": {"choices": ["north", "south"]},
    }
    assert error["field_codes"]["fields.budget"] == {"code": "not_amount", "params": {}}
    assert (error["problem"], error["params"]) == ("invalid_input", {})


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        ('{"definition": "lab", "title": "X"', "application/json"),
        ("[1, 2]", "application/json"),
        ("null", "application/json"),
        ("\xff\xfe", "application/json"),
        ("definition=lab&title=X", "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(api, owner, data, content_type):
    response = api.as_(owner).post(NEW, data=data, content_type=content_type)

    assert error_of(response, 400)["fields"]


def test_a_huge_body_is_413(api, owner):
    body = {"definition": "lab", "title": "X", "summary": "s" * 2_000_000}

    assert error_of(api.as_(owner).post(NEW, json=body), 413)["code"]


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/api/v1/projects/abc", 400, "project_id"),
        ("/api/v1/projects/0", 400, "project_id"),
        ("/api/v1/projects/-1", 400, "project_id"),
        ("/api/v1/projects/99999999999999999999", 400, "project_id"),
        ("/api/v1/projects/2147483647", 404, None),
        ("/api/v1/projects/1.5/events", 400, "project_id"),
        ("/api/v1/organisations/x", 400, "organisation_id"),
        ("/api/v1/organisations/123456", 404, None),
        ("/api/v1/definitions/nope", 404, None),
        ("/api/v1/definitions/lab?version=99", 404, None),
        ("/api/v1/definitions/lab?version=x", 400, "version"),
        ("/api/v1/nothing-here", 404, None),
    ],
)
def test_unknown_and_malformed_ids(api, owner, path, status, field):
    error = error_of(api.as_(owner).get(path), status)

    if field:
        assert field in error["fields"], error


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("status=sleeping", "status"),
        ("stalled=maybe", "stalled"),
        ("definition=nope", "definition"),
        ("q=" + "x" * 201, "q"),
        ("q=%00", "q"),
    ],
)
def test_bad_list_filters_are_400_naming_the_parameter(api, owner, query, field):
    error = error_of(api.as_(owner).get(f"{NEW}?{query}"), 400)

    assert field in error["fields"], error


def test_an_unknown_partner_checklist_item_or_organisation(api, owner, ready_project):
    as_owner = api.as_(owner)

    assert error_of(as_owner.delete(project_url(ready_project, "/partners/999")), 404)
    assert error_of(
        as_owner.put(project_url(ready_project, "/checklist/nope"), json={"done": True}), 404
    )
    unknown_org = as_owner.post(
        project_url(ready_project, "/partners"), json={"organisation_id": 999}
    )
    assert "organisation_id" in error_of(unknown_org, 422)["fields"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/checklist/need_described", {"done": "yes"}, "done"),
        ("/checklist/need_described", {"done": 1}, "done"),
        ("/checklist/need_described", {}, "done"),
        ("/partners", {"organisation_id": "7"}, "organisation_id"),
        ("/partners", {"organisation_id": True}, "organisation_id"),
        ("/partners", {"organisation_id": 2**40}, "organisation_id"),
        ("/submit", {"version": "1"}, "version"),
        ("/decisions", {"decision": "maybe"}, "decision"),
    ],
)
def test_wrong_types_in_changes_are_400_naming_the_field(
    api, owner, ready_project, path, body, field
):
    response = api.as_(owner).request(
        "PUT" if "checklist" in path else "POST", project_url(ready_project, path), json=body
    )

    assert field in error_of(response, 400)["fields"]


def test_a_score_outside_1_to_5_is_400(api, kommune, submitted_project):
    body = {"decision": "go", "scores": {"relevance": 9}}

    error = error_of(
        api.as_(kommune).post(project_url(submitted_project, "/decisions"), json=body), 400
    )

    assert "scores.relevance.value" in error["fields"]


def test_a_decision_names_each_score_the_scorecard_refuses_or_misses(
    api, kommune, submitted_project
):
    body = {"decision": "go", "scores": {"relevance": 4, "bogus": 3}}

    error = error_of(
        api.as_(kommune).post(project_url(submitted_project, "/decisions"), json=body), 422
    )

    assert set(error["fields"]) == {"scores.bogus", "scores.feasibility"}


def test_an_unknown_gate_is_422(api, owner, ready_project):
    response = api.as_(owner).post(project_url(ready_project, "/submit"), json={"gate": "x"})

    assert "gate" in error_of(response, 422)["fields"]


def test_a_kill_without_a_comment_is_422(api, kommune, submitted_project):
    response = api.as_(kommune).post(
        project_url(submitted_project, "/decisions"), json={"decision": "kill"}
    )

    assert "comment" in error_of(response, 422)["fields"]


def test_an_unsupported_method_is_405_with_allow(api, owner):
    response = api.as_(owner).delete(NEW)

    error_of(response, 405)
    assert "GET" in response.headers["Allow"]
