"""Every endpoint for every role: who may read, change, submit and decide (SPEC §4).

Roles: the project's owner, another owner, a gatekeeper of each board group, a
coordinator, an admin, no token and a bad token. Each row below is one endpoint with the
status each role gets; the project it acts on is set up in the state the endpoint needs.
"""

from __future__ import annotations

import pytest

import workflow
from tests.calls_kit import GOOD, add_call
from tests.web.api_fixtures import GO, project_url

ROLES = ("owner", "other_owner", "kommune", "ntnu", "coordinator", "admin", "none", "bad")

#: endpoint → (method, path with {pid}/{org}/{partner}, body, project state, statuses by role)
ENDPOINTS = {
    "list definitions": ("GET", "/api/v1/definitions", None, "ready", "200 200 200 200 200 200"),
    "show definition": ("GET", "/api/v1/definitions/lab", None, "ready", "200 200 200 200 200 200"),
    "list projects": ("GET", "/api/v1/projects", None, "ready", "200 200 200 200 200 200"),
    "create project": (
        "POST",
        "/api/v1/projects",
        {"definition": "lab", "title": "Ny idé"},
        "ready",
        "201 201 201 201 201 201",
    ),
    "show project": ("GET", "{project}", None, "ready", "200 200 200 200 200 200"),
    "edit project": (
        "PATCH",
        "{project}",
        {"title": "Nytt navn"},
        "ready",
        "200 403 403 403 403 403",
    ),
    "submit": ("POST", "{project}/submit", None, "ready", "200 403 403 403 403 403"),
    "decide": (
        "POST",
        "{project}/decisions",
        {"decision": "go", "scores": GO},
        "submitted",
        "403 403 200 200 403 403",
    ),
    "resume": ("POST", "{project}/resume", None, "on_hold", "403 403 200 200 403 403"),
    "tick checklist": (
        "PUT",
        "{project}/checklist/need_described",
        {"done": False},
        "ready",
        "200 403 403 403 403 403",
    ),
    "list organisations": (
        "GET",
        "/api/v1/organisations",
        None,
        "ready",
        "200 200 200 200 200 200",
    ),
    "show organisation": (
        "GET",
        "/api/v1/organisations/{org}",
        None,
        "ready",
        "200 200 200 200 200 200",
    ),
    "create organisation": (
        "POST",
        "/api/v1/organisations",
        {"name": "Trondheim kommune", "type": "public"},
        "ready",
        "403 403 403 403 201 201",
    ),
    "edit organisation": (
        "PATCH",
        "/api/v1/organisations/{org}",
        {"description": "Forskningsmiljø"},
        "ready",
        "403 403 403 403 200 200",
    ),
    "confirm organisation": (
        "POST",
        "/api/v1/organisations/{org}/confirm",
        None,
        "ready",
        "403 403 403 403 200 200",
    ),
    "list calls": ("GET", "/api/v1/calls", None, "ready", "200 200 200 200 200 200"),
    "show call": ("GET", "/api/v1/calls/{call}", None, "ready", "200 200 200 200 200 200"),
    "create call": (
        "POST",
        "/api/v1/calls",
        {
            "funder": "Norges forskningsråd",
            "title": {"nb": "IPO 2027"},
            "opens_on": "2027-08-12",
            "deadline": "2027-09-22T13:00:00+02:00",
        },
        "ready",
        "403 403 403 403 201 201",
    ),
    "edit call": (
        "PATCH",
        "/api/v1/calls/{call}",
        {"max_amount": 16000000},
        "ready",
        "403 403 403 403 200 200",
    ),
    "add partner": (
        "POST",
        "{project}/partners",
        {"organisation_id": "{new_org}", "role": "Leverandør"},
        "ready",
        "201 403 403 403 403 403",
    ),
    "change partner": (
        "PATCH",
        "{project}/partners/{partner}",
        {"status": "letter_of_intent"},
        "ready",
        "200 403 403 403 403 403",
    ),
    "remove partner": (
        "DELETE",
        "{project}/partners/{partner}",
        None,
        "ready",
        "200 403 403 403 403 403",
    ),
    "events": ("GET", "{project}/events", None, "ready", "200 200 200 200 200 200"),
    # applications
    "list applications": (
        "GET",
        "{project}/applications",
        None,
        "draft",
        "200 200 200 200 200 200",
    ),
    "start application": (
        "POST",
        "{project}/applications",
        {"call_id": "{call}"},
        "ready",
        "201 403 403 403 403 403",
    ),
    "edit application": (
        "PATCH",
        "{project}/applications/{application}",
        {"budget": 11_000_000},
        "draft",
        "200 403 403 403 403 403",
    ),
    "submit application": (
        "POST",
        "{project}/applications/{application}/submit",
        None,
        "draft",
        "200 403 403 403 403 403",
    ),
    "record outcome": (
        "POST",
        "{project}/applications/{application}/outcome",
        {"outcome": "rejected", "feedback": "Nei"},
        "application_submitted",
        "403 403 403 403 200 200",
    ),
    "withdraw application": (
        "POST",
        "{project}/applications/{application}/withdraw",
        None,
        "draft",
        "200 403 403 403 403 403",
    ),
    "reapply": (
        "POST",
        "{project}/applications/{application}/reapply",
        {"call_id": "{call}"},
        "application_rejected",
        "201 403 403 403 403 403",
    ),
    # reports
    "list reports": ("GET", "{project}/reports", None, "report_due", "200 200 200 200 200 200"),
    "add report": (
        "POST",
        "{project}/reports",
        {"kind": "progress", "due_on": "2027-03-01"},
        "ready",
        "201 403 403 403 201 201",
    ),
    "deliver report": (
        "POST",
        "{project}/reports/{report}/deliver",
        {"note": "Levert"},
        "report_due",
        "200 403 403 403 403 403",
    ),
    "approve report": (
        "POST",
        "{project}/reports/{report}/approve",
        None,
        "report_delivered",
        "403 403 403 403 200 200",
    ),
    # --- open data (issue #17) ---
    "publish": ("POST", "{project}/publish", None, "ready", "403 403 403 403 200 200"),
    # the project room
    "list comments": ("GET", "{project}/comments", None, "ready", "200 200 200 200 200 200"),
    "add comment": (
        "POST",
        "{project}/comments",
        {"body": "Hei"},
        "ready",
        "201 201 201 201 201 201",
    ),
    "list follow-ups": ("GET", "{project}/follow-ups", None, "ready", "200 200 200 200 200 200"),
    "close follow-up": (
        "POST",
        "{project}/follow-ups/{follow_up}/close",
        {"note": "Gjort"},
        "follow_up",
        "200 403 403 403 200 200",
    ),
    "ask question": (
        "POST",
        "{project}/questions",
        {"text": "Hvem er brukerne?"},
        "submitted",
        "403 403 201 201 403 403",
    ),
    "answer question": (
        "POST",
        "{project}/questions/{question}/answer",
        {"body": "Eldre"},
        "question",
        "200 403 403 403 403 403",
    ),
    # lessons learned and search (issue 13)
    "read lesson": ("GET", "{project}/lesson", None, "ready", "200 200 200 200 200 200"),
    "write lesson": (
        "PUT",
        "{project}/lesson",
        {"worked": "Tidlig brukerdialog"},
        "ready",
        "200 403 403 403 403 403",
    ),
    "search": ("GET", "/api/v1/search?q=hjemme", None, "ready", "200 200 200 200 200 200"),
    # benefit realisation (issue 13): the kommune gatekeeper is the benefit's owner
    "list benefits": ("GET", "{project}/benefits", None, "benefit", "200 200 200 200 200 200"),
    "add benefit": (
        "POST",
        "{project}/benefits",
        {"description": "Spart tid", "type": "efficiency", "chain_link": "user_effect"},
        "ready",
        "201 403 403 403 403 403",
    ),
    "edit benefit": (
        "PATCH",
        "{project}/benefits/{benefit}",
        {"unit": "timer"},
        "benefit",
        "200 403 200 403 403 403",
    ),
    "record measurement": (
        "POST",
        "{project}/benefits/{benefit}/measurements",
        {"value": 12, "measured_on": "2026-10-01"},
        "benefit",
        "201 403 201 403 403 403",
    ),
    # governance
    "my tasks": ("GET", "/api/v1/me/tasks", None, "submitted", "200 200 200 200 200 200"),
    # the first user (the owner) as substitute, in the pinned clock's November 2026
    "name my substitute": (
        "PUT",
        "/api/v1/me/substitute",
        {"user_id": 1, "from": "2026-11-02", "to": "2026-11-20"},
        "ready",
        "403 403 200 200 403 403",
    ),
    "remove my substitute": (
        "DELETE",
        "/api/v1/me/substitute",
        None,
        "ready",
        "404 404 404 404 404 404",
    ),
    # --- project room (issue #14) ---
    "get roles": ("GET", "{project}/roles", None, "ready", "200 200 200 200 200 200"),
    "set roles": ("PUT", "{project}/roles", {}, "ready", "200 403 403 403 403 403"),
    "list attachments": ("GET", "{project}/attachments", None, "ready", "200 200 200 200 200 200"),
}


@pytest.fixture
def actors(owner, other_owner, kommune, ntnu, coordinator, create_user):
    """Each role's actor (``None`` for the two without a valid token)."""
    return {
        "owner": owner,
        "other_owner": other_owner,
        "kommune": kommune,
        "ntnu": ntnu,
        "coordinator": coordinator,
        "admin": create_user("admin", name="Ada Admin"),
        "none": None,
        "bad": None,
    }


def _prepare_application(wf, state, owner, coordinator, project_id, applicant):
    """A call, and for the application states a draft that meets its rules (submitted and
    rejected as ``state`` says); returns (call, application)."""
    call = add_call(wf)
    if state not in ("draft", "application_submitted", "application_rejected"):
        return call, 0
    values = {**GOOD, "applicant_organisation_id": applicant}
    app = workflow.create_application(wf, owner, project_id, call_id=call, values=values)
    if state != "draft":
        workflow.submit_application(wf, owner, project_id, app)
    if state == "application_rejected":
        workflow.record_outcome(wf, coordinator, project_id, app, outcome="rejected")
    return call, app


def _prepare(wf, state, owner, kommune, project_id):
    if state in ("submitted", "on_hold"):
        workflow.submit_project(wf, owner, project_id)
    if state == "on_hold":
        workflow.decide_gate(wf, kommune, project_id, decision="hold", comment="Vent")


def _report(wf, state, owner, project_id):
    """A report of the project, due or delivered as the state says (0: none)."""
    if not state.startswith("report_"):
        return 0
    report = workflow.add_report(wf, owner, project_id, kind="progress", due_on="2027-03-01")
    if state == "report_delivered":
        workflow.deliver_report(wf, owner, project_id, report)
    return report


def _room(wf, state, actors, project_id):
    """A follow-up of a conditional go, or an open question, as the state says."""
    owner, kommune, ntnu = actors["owner"], actors["kommune"], actors["ntnu"]
    if state == "follow_up":
        workflow.submit_project(wf, owner, project_id)
        condition = {"text": "Avklar", "responsible_id": owner.id, "due_on": "2027-01-10"}
        workflow.decide_gate(wf, kommune, project_id, decision="go", scores=GO)
        workflow.decide_gate(wf, ntnu, project_id, decision="go", scores=GO, conditions=[condition])
        return {"follow_up": workflow.project_follow_ups(wf, project_id)[0]["id"], "question": 0}
    if state == "question":
        workflow.submit_project(wf, owner, project_id)
        return {
            "follow_up": 0,
            "question": workflow.ask_question(wf, kommune, project_id, text="?"),
        }
    return {"follow_up": 0, "question": 0}


def _benefit(wf, state, owner, benefit_owner, project_id):
    """A benefit of the project owned by ``benefit_owner`` when the state says so (0: none)."""
    if state != "benefit":
        return 0
    return workflow.add_benefit(
        wf,
        owner,
        project_id,
        description="Spart tid",
        type="efficiency",
        chain_link="user_effect",
        owner_id=benefit_owner.id,
    )


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_role_gets_the_documented_status(
    api, wf, actors, owner, kommune, ready_project, research_org, endpoint, role
):
    method, path, body, state, statuses = ENDPOINTS[endpoint]
    expected = dict(zip(ROLES, [*map(int, statuses.split()), 401, 401], strict=True))[role]
    _prepare(wf, state, owner, kommune, ready_project)
    call, application = _prepare_application(
        wf, state, owner, actors["coordinator"], ready_project, research_org
    )
    report = _report(wf, state, owner, ready_project)
    benefit = _benefit(wf, state, owner, kommune, ready_project)
    partner = workflow.get_project(wf, ready_project).partners[0]["id"]
    company = workflow.add_organisation(wf, None, name="Trondheim Tech AS", type="business")
    ids = {
        "project": project_url(ready_project),
        "org": research_org,
        "new_org": company,
        "partner": partner,
        "call": call,
        "application": application,
        "report": report,
        **_room(wf, state, actors, ready_project),
        "benefit": benefit,
    }
    client = api.with_token("sam_bad-token") if role == "bad" else api.as_(actors[role])

    response = client.request(method, _fill(path, ids), json=_fill(body, ids))

    assert response.status_code == expected, response.json
    if expected >= 400:
        assert set(response.json["error"]) >= {"code", "message", "fields"}
