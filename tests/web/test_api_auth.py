"""Bearer tokens, and nothing else, open the API; its OpenAPI document is valid."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

import workflow
from tests.conftest import ROOT


def test_a_request_without_a_token_is_401_with_the_error_body(api):
    response = api.get("/api/v1/projects")

    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert "Bearer" in response.json["error"]["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer sam_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "sam_no_scheme"]
)
def test_a_bad_token_is_401(api, header):
    response = api.get("/api/v1/projects", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_a_revoked_token_is_401(api, wf, owner):
    token = workflow.create_token(wf, owner.email)
    assert api.with_token(token).get("/api/v1/projects").status_code == 200

    workflow.revoke_token(wf, token)

    assert api.with_token(token).get("/api/v1/projects").status_code == 401


def test_a_logged_in_browser_session_does_not_open_the_api(api, owner):
    with api.client.session_transaction() as session:
        session["_user_id"] = str(owner.id)
        session["_fresh"] = True

    read = api.get("/api/v1/projects")
    write = api.post("/api/v1/projects", json={"definition": "lab", "title": "Via cookie"})

    assert (read.status_code, write.status_code) == (401, 401)


def test_a_write_with_a_token_needs_no_csrf_token(api, owner, app):
    assert app.config.get("WTF_CSRF_ENABLED", True)

    response = api.as_(owner).post("/api/v1/projects", json={"definition": "lab", "title": "Idé"})

    assert response.status_code == 201


def test_the_token_user_is_the_actor(api, owner):
    response = api.as_(owner).post("/api/v1/projects", json={"definition": "lab", "title": "Min"})

    assert response.json["owner"] == {"id": owner.id, "name": owner.name}


def test_the_openapi_document_is_valid_openapi_3_and_needs_no_token(api):
    response = api.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_the_openapi_document_examples_a_shipped_definition(api):
    schemas = api.get("/api/v1/openapi.json").json["components"]["schemas"]

    example = schemas["ProjectIn"]["properties"]["definition"]["example"]

    assert (ROOT / "definitions" / f"{example}.yaml").is_file()


def test_a_request_body_with_required_fields_is_itself_required(api):
    paths = api.get("/api/v1/openapi.json").json["paths"]

    required = {
        (method.upper(), path.removeprefix("/api/v1")): op["requestBody"].get("required", False)
        for path, ops in paths.items()
        for method, op in ops.items()
        if "requestBody" in op
    }

    assert required == {
        ("POST", "/calls"): True,
        ("PATCH", "/calls/{call_id}"): False,
        ("POST", "/organisations"): True,
        ("PATCH", "/organisations/{organisation_id}"): False,
        ("POST", "/organisations/{organisation_id}/merge"): True,
        ("POST", "/projects"): True,
        ("PATCH", "/projects/{project_id}"): False,
        ("PUT", "/projects/{project_id}/checklist/{item}"): True,
        ("POST", "/projects/{project_id}/decisions"): True,
        ("POST", "/projects/{project_id}/partners"): True,
        ("PATCH", "/projects/{project_id}/partners/{partner_id}"): False,
        ("POST", "/projects/{project_id}/resume"): False,
        ("POST", "/projects/{project_id}/submit"): False,
        # applications
        ("POST", "/projects/{project_id}/applications"): True,
        ("PATCH", "/projects/{project_id}/applications/{application_id}"): False,
        ("POST", "/projects/{project_id}/applications/{application_id}/submit"): False,
        ("POST", "/projects/{project_id}/applications/{application_id}/outcome"): True,
        ("POST", "/projects/{project_id}/applications/{application_id}/withdraw"): False,
        ("POST", "/projects/{project_id}/applications/{application_id}/reapply"): True,
        ("POST", "/projects/{project_id}/reports"): True,
        ("POST", "/projects/{project_id}/reports/{report_id}/deliver"): False,
        ("POST", "/projects/{project_id}/reports/{report_id}/approve"): False,
        # open data (issue #17)
        ("POST", "/projects/{project_id}/publish"): False,
        ("POST", "/projects/{project_id}/unpublish"): False,
        # the project room
        ("POST", "/projects/{project_id}/comments"): True,
        ("POST", "/projects/{project_id}/follow-ups/{follow_up_id}/close"): True,
        ("POST", "/projects/{project_id}/questions"): True,
        ("POST", "/projects/{project_id}/questions/{question_id}/answer"): True,
        # lessons learned (issue 13)
        ("PUT", "/projects/{project_id}/lesson"): False,
        # benefit realisation (issue 13)
        ("POST", "/projects/{project_id}/benefits"): True,
        ("PATCH", "/projects/{project_id}/benefits/{benefit_id}"): False,
        ("POST", "/projects/{project_id}/benefits/{benefit_id}/measurements"): True,
        # governance
        ("PUT", "/me/substitute"): True,
        # project room (issue #14)
        ("POST", "/projects/{project_id}/attachments"): True,
        ("PUT", "/projects/{project_id}/roles"): False,
    }


def test_the_openapi_document_lists_every_endpoint_of_the_spec(api):
    paths = api.get("/api/v1/openapi.json").json["paths"]

    operations = {(m.upper(), p.removeprefix("/api/v1")) for p, ops in paths.items() for m in ops}
    assert operations >= {
        ("GET", "/definitions"),
        ("GET", "/definitions/{key}"),
        ("GET", "/projects"),
        ("POST", "/projects"),
        ("GET", "/projects/{project_id}"),
        ("PATCH", "/projects/{project_id}"),
        ("POST", "/projects/{project_id}/submit"),
        ("POST", "/projects/{project_id}/decisions"),
        ("POST", "/projects/{project_id}/resume"),
        ("PUT", "/projects/{project_id}/checklist/{item}"),
        ("GET", "/organisations"),
        ("POST", "/organisations"),
        ("POST", "/projects/{project_id}/partners"),
        ("DELETE", "/projects/{project_id}/partners/{partner_id}"),
        ("GET", "/projects/{project_id}/events"),
        ("GET", "/projects/{project_id}/applications"),
        ("POST", "/projects/{project_id}/applications"),
        ("PATCH", "/projects/{project_id}/applications/{application_id}"),
        ("POST", "/projects/{project_id}/applications/{application_id}/submit"),
        ("POST", "/projects/{project_id}/applications/{application_id}/outcome"),
        ("GET", "/calls"),
        ("POST", "/calls"),
        ("GET", "/calls/{call_id}"),
        ("PATCH", "/calls/{call_id}"),
        ("GET", "/projects/{project_id}/reports"),
        ("POST", "/projects/{project_id}/reports"),
        ("POST", "/projects/{project_id}/reports/{report_id}/deliver"),
        ("POST", "/projects/{project_id}/reports/{report_id}/approve"),
        # open data (issue #17)
        ("POST", "/projects/{project_id}/publish"),
        ("POST", "/projects/{project_id}/unpublish"),
        # the project room
        ("GET", "/projects/{project_id}/comments"),
        ("POST", "/projects/{project_id}/comments"),
        ("GET", "/projects/{project_id}/follow-ups"),
        ("POST", "/projects/{project_id}/follow-ups/{follow_up_id}/close"),
        ("POST", "/projects/{project_id}/questions"),
        ("POST", "/projects/{project_id}/questions/{question_id}/answer"),
        # lessons learned and search (issue 13)
        ("GET", "/projects/{project_id}/lesson"),
        ("PUT", "/projects/{project_id}/lesson"),
        ("GET", "/search"),
        # benefit realisation (issue 13)
        ("GET", "/projects/{project_id}/benefits"),
        ("POST", "/projects/{project_id}/benefits"),
        ("PATCH", "/projects/{project_id}/benefits/{benefit_id}"),
        ("POST", "/projects/{project_id}/benefits/{benefit_id}/measurements"),
        # governance
        ("GET", "/me/tasks"),
        ("PUT", "/me/substitute"),
        ("DELETE", "/me/substitute"),
        # project room (issue #14)
        ("GET", "/projects/{project_id}/roles"),
        ("PUT", "/projects/{project_id}/roles"),
        ("GET", "/projects/{project_id}/attachments"),
        ("POST", "/projects/{project_id}/attachments"),
        ("GET", "/projects/{project_id}/attachments/{attachment_id}"),
    }


def test_every_operation_has_a_unique_readable_operation_id(api):
    paths = api.get("/api/v1/openapi.json").json["paths"]

    named = {
        (method.upper(), path.removeprefix("/api/v1")): operation.get("operationId")
        for path, operations in paths.items()
        for method, operation in operations.items()
    }
    ids = list(named.values())
    readable = re.compile(r"[a-z]+(?:[A-Z][a-z]+)+")  # lower camel case: verb, then nouns
    assert all(isinstance(i, str) and readable.fullmatch(i) for i in ids), named
    assert len(ids) == len(set(ids)), named
    assert (
        named.items()
        >= {
            ("GET", "/projects"): "listProjects",
            ("POST", "/projects"): "createProject",
            ("GET", "/projects/{project_id}"): "getProject",
            ("PATCH", "/projects/{project_id}"): "updateProject",
            ("POST", "/projects/{project_id}/submit"): "submitProject",
            ("POST", "/projects/{project_id}/decisions"): "decideGate",
            ("POST", "/projects/{project_id}/resume"): "resumeProject",
            ("PUT", "/projects/{project_id}/checklist/{item}"): "setChecklistItem",
            ("POST", "/projects/{project_id}/partners"): "addPartner",
            ("DELETE", "/projects/{project_id}/partners/{partner_id}"): "removePartner",
            ("GET", "/projects/{project_id}/events"): "listEvents",
            ("GET", "/definitions"): "listDefinitions",
            ("GET", "/definitions/{key}"): "getDefinition",
            ("GET", "/organisations"): "listOrganisations",
            ("POST", "/organisations"): "createOrganisation",
            ("GET", "/organisations/{organisation_id}"): "getOrganisation",
            ("GET", "/projects/{project_id}/applications"): "listApplications",
            ("POST", "/projects/{project_id}/applications"): "createApplication",
            (
                "POST",
                "/projects/{project_id}/applications/{application_id}/submit",
            ): "submitApplication",
            ("GET", "/calls"): "listCalls",
            ("POST", "/calls"): "createCall",
            ("GET", "/calls/{call_id}"): "getCall",
            ("PATCH", "/calls/{call_id}"): "updateCall",
            ("GET", "/projects/{project_id}/reports"): "listReports",
            ("POST", "/projects/{project_id}/reports"): "addReport",
            ("POST", "/projects/{project_id}/reports/{report_id}/deliver"): "deliverReport",
            ("POST", "/projects/{project_id}/reports/{report_id}/approve"): "approveReport",
            # open data (issue #17)
            ("POST", "/projects/{project_id}/publish"): "publishProject",
            ("POST", "/projects/{project_id}/unpublish"): "unpublishProject",
            # the project room
            ("GET", "/projects/{project_id}/comments"): "listComments",
            ("POST", "/projects/{project_id}/comments"): "addComment",
            ("GET", "/projects/{project_id}/follow-ups"): "listFollowUps",
            (
                "POST",
                "/projects/{project_id}/follow-ups/{follow_up_id}/close",
            ): "closeFollowUp",
            ("POST", "/projects/{project_id}/questions"): "askQuestion",
            (
                "POST",
                "/projects/{project_id}/questions/{question_id}/answer",
            ): "answerQuestion",
            # lessons learned and search (issue 13)
            ("GET", "/projects/{project_id}/lesson"): "getLesson",
            ("PUT", "/projects/{project_id}/lesson"): "putLesson",
            ("GET", "/search"): "searchProjects",
            # benefit realisation (issue 13)
            ("GET", "/projects/{project_id}/benefits"): "listBenefits",
            ("POST", "/projects/{project_id}/benefits"): "addBenefit",
            ("PATCH", "/projects/{project_id}/benefits/{benefit_id}"): "updateBenefit",
            (
                "POST",
                "/projects/{project_id}/benefits/{benefit_id}/measurements",
            ): "recordMeasurement",
            # governance
            ("GET", "/me/tasks"): "listMyTasks",
            ("PUT", "/me/substitute"): "setMySubstitute",
            ("DELETE", "/me/substitute"): "removeMySubstitute",
            # project room (issue #14)
            ("GET", "/projects/{project_id}/roles"): "getRoles",
            ("PUT", "/projects/{project_id}/roles"): "setRoles",
            ("GET", "/projects/{project_id}/attachments"): "listAttachments",
            ("POST", "/projects/{project_id}/attachments"): "uploadAttachment",
            ("GET", "/projects/{project_id}/attachments/{attachment_id}"): "getAttachment",
        }.items()
    )


def test_error_responses_are_documented_with_the_error_body(api):
    paths = api.get("/api/v1/openapi.json").json["paths"]

    submit = paths["/api/v1/projects/{project_id}/submit"]["post"]["responses"]
    assert set(submit) >= {"200", "400", "401", "403", "404", "409", "412", "422"}
    schema = submit["422"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Error"}
