"""Every page × every role: who gets the page, who gets 403, and anonymous users a login."""

from __future__ import annotations

import pytest

# the page paths; {pid} is a lab project of `owner`, submitted to its idea gate
PAGES = [
    "/projects/mine",
    "/projects/new",
    "/projects/new/lab",
    "/projects/{pid}",
    "/projects/{pid}/edit",
    "/gates",
    "/projects/{pid}/review",
    "/portfolio",
    "/definitions",
    "/definitions/lab",
    "/calls",
    "/calls/new",
    # search and lessons learned (issue 13)
    "/search?q=hjemme",
    "/lessons",
    # governance
    "/tasks",
    "/settings/substitute",
    "/admin/areas",
]
#: role → status per page that differs from 200
DIFFERENT = {
    "owner": {
        "/gates": 403,
        "/projects/{pid}/review": 403,
        "/portfolio": 403,
        "/calls/new": 403,
        "/settings/substitute": 403,
        "/admin/areas": 403,
    },
    "stranger": {
        "/projects/{pid}/edit": 403,
        "/gates": 403,
        "/projects/{pid}/review": 403,
        "/portfolio": 403,
        "/calls/new": 403,
        "/settings/substitute": 403,
        "/admin/areas": 403,
    },
    "kommune": {
        "/projects/{pid}/edit": 403,
        "/portfolio": 403,
        "/calls/new": 403,
        "/admin/areas": 403,
    },
    "ntnu": {
        "/projects/{pid}/edit": 403,
        "/portfolio": 403,
        "/calls/new": 403,
        "/admin/areas": 403,
    },
    "coordinator": {
        "/projects/{pid}/edit": 403,
        "/gates": 403,
        "/settings/substitute": 403,
        "/admin/areas": 403,
    },
    "admin": {
        "/projects/{pid}/edit": 403,
        "/gates": 403,
        "/settings/substitute": 403,
    },
    # issue 15: coordinators and admins open reviews read-only (no review 403 above)
}
# --- open data (issue #17): the admin's personal data page ---
PAGES.append("/admin/personal-data")
for _role in ("owner", "stranger", "kommune", "ntnu", "coordinator"):
    DIFFERENT[_role]["/admin/personal-data"] = 403
#: pages anyone may see without logging in (the public portfolio)
PUBLIC_PAGES = ["/open", "/open?lang=en", "/open.json", "/open.csv"]

# --- user administration (issue #17): admins only ---
PAGES.append("/admin/users")
for _role in ("owner", "stranger", "kommune", "ntnu", "coordinator"):
    DIFFERENT[_role]["/admin/users"] = 403
# issue 15: resuming has its own confirmation page (the project here is in review, not on
# hold, so its gatekeepers are sent back to the project page)
PAGES.append("/projects/{pid}/resume")
for _role, _status in [("owner", 403), ("stranger", 403), ("kommune", 303), ("ntnu", 303)]:
    DIFFERENT[_role]["/projects/{pid}/resume"] = _status
DIFFERENT["coordinator"]["/projects/{pid}/resume"] = 403
DIFFERENT["admin"]["/projects/{pid}/resume"] = 403
CASES = [(role, page, DIFFERENT[role].get(page, 200)) for role in DIFFERENT for page in PAGES]


@pytest.mark.parametrize(("role", "page", "status"), CASES)
def test_each_role_gets_each_page_or_a_403_page(
    request, login, submitted_project, role, page, status
):
    user = request.getfixturevalue(role)
    browser = login(user)

    response = browser.get(page.format(pid=submitted_project))

    assert response.status_code == status
    if status == 403:
        assert "Du har ikke tilgang til denne siden" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(browser, submitted_project, page):
    response = browser.get(page.format(pid=submitted_project))

    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


@pytest.mark.parametrize(
    "page",
    [
        "/projects/99999",
        "/projects/99999/edit",
        "/projects/99999/review",
        "/definitions/nonexistent",
        "/projects/new/nonexistent",
        "/no/such/page",
    ],
)
def test_missing_things_get_the_404_page(login, owner, page):
    response = login(owner).get(page)

    assert response.status_code == 404
    assert "Fant ikke siden" in response.get_data(as_text=True)


# POSTs that change a project: (path, form data); only its owner may make them
OWNER_POSTS = [
    ("/projects/{pid}/checklist/need_described", {"done": "1"}),
    ("/projects/{pid}/partners", {"organisation_id": "{org}", "role": "x"}),
    ("/projects/{pid}/submit", {"gate": "idea_review"}),
    ("/projects/{pid}/edit", {"title": "Overtatt"}),
]


@pytest.mark.parametrize(("path", "data"), OWNER_POSTS)
@pytest.mark.parametrize("role", ["stranger", "kommune", "coordinator"])
def test_only_the_owner_may_change_a_project(
    request, login, ready_project, research_org, role, path, data
):
    browser = login(request.getfixturevalue(role))
    form = {k: v.format(org=research_org) for k, v in data.items()}

    response = browser.post(path.format(pid=ready_project), form)

    assert response.status_code == 403


def test_a_refusal_by_the_engine_says_why_in_the_users_language(login, stranger, ready_project):
    response = login(stranger).post(
        f"/projects/{ready_project}/checklist/need_described", {"done": "1"}
    )

    assert response.status_code == 403
    assert "Bare prosjekteieren kan endre det." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["owner", "stranger", "coordinator"])
def test_only_gatekeepers_of_the_gate_may_decide(request, login, submitted_project, role):
    browser = login(request.getfixturevalue(role))

    response = browser.post(
        f"/projects/{submitted_project}/review",
        {"decision": "kill", "comment": "x", "confirm_kill": "y"},
    )

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["owner", "stranger", "coordinator"])
def test_only_gatekeepers_of_the_gate_may_resume(request, login, held_project, role):
    browser = login(request.getfixturevalue(role))

    response = browser.post(f"/projects/{held_project}/resume")

    assert response.status_code == 403


def test_an_unexpected_error_shows_the_500_page_without_a_trace(login, owner, monkeypatch):
    browser = login(owner)

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("workflow.list_projects", broken)
    response = browser.get("/projects/mine")

    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in body
    assert "Traceback" not in body
    assert "database on fire" not in body


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("owner", ["Mine prosjekter", "Ny idé", "Samarbeidsformer"]),
        ("kommune", ["Mine prosjekter", "Ny idé", "Beslutningskø", "Samarbeidsformer"]),
        ("coordinator", ["Mine prosjekter", "Ny idé", "Portefølje", "Samarbeidsformer"]),
    ],
)
def test_the_menu_shows_what_the_role_may_use(request, login, role, links):
    body = login(request.getfixturevalue(role)).text("/definitions")

    menu = body.split('aria-label="Hovedmeny"')[1].split("</nav>")[0]
    assert [
        m
        for m in ("Mine prosjekter", "Ny idé", "Beslutningskø", "Portefølje", "Samarbeidsformer")
        if f">{m}</a>" in menu
    ] == links


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_the_public_portfolio_needs_no_login(browser, submitted_project, page):
    assert browser.get(page).status_code == 200


# benefit realisation (issue 13): only the project's owner adds a benefit
@pytest.mark.parametrize("role", ["stranger", "kommune", "coordinator"])
def test_only_the_owner_may_add_a_benefit(request, login, ready_project, role):
    browser = login(request.getfixturevalue(role))
    browser.get(f"/projects/{ready_project}")
    form = {
        "new-csrf_token": browser.token,
        "new-description": "Overtatt",
        "new-type": "quality",
        "new-chain_link": "output",
    }

    response = browser.post(f"/projects/{ready_project}/benefits", form)

    assert response.status_code == 403
