"""SPEC §7 (kept): script in any text a user can enter, or in a definition's Markdown, is
shown as text or removed — never run — on every page that shows it."""

from __future__ import annotations

import shutil

import pytest

import workflow
from tests.conftest import DATA, GO, SHIPPED, make_workflow
from tests.web.conftest import Browser
from webapp import create_app


def payload(name: str) -> str:
    """Markup that would run script if a page let it through unescaped, tagged ``name``."""
    return f"<script>alert({name})</script><img src=x onerror=alert({name})>"


def escaped(name: str) -> str:
    """How ``payload(name)`` reads once escaped."""
    return f"&lt;script&gt;alert({name})&lt;/script&gt;&lt;img src=x onerror=alert({name})&gt;"


def assert_inert(body: str, name: str) -> None:
    assert payload(name) not in body
    assert f"<script>alert({name})" not in body
    assert f"<img src=x onerror=alert({name})" not in body


@pytest.fixture
def hostile(wf, create_user, research_org):
    """A project whose every text input holds a payload, decided on by a gatekeeper."""
    owner = create_user("owner", name=payload("owner_name"))
    org = workflow.add_organisation(wf, None, name=payload("org_name"), type="research")
    pid = workflow.create_project(
        wf,
        owner,
        definition="lab",
        title=payload("title"),
        summary=payload("summary"),
        fields={"need": payload("need"), "budget": 1000, "own_share": 600},
    )
    workflow.set_checklist_item(wf, owner, pid, "need_described", True)
    workflow.add_partner(wf, owner, pid, organisation_id=org, role=payload("partner_role"))
    workflow.add_partner(wf, owner, pid, organisation_id=research_org, role="FoU")
    workflow.submit_project(wf, owner, pid)
    gatekeeper = create_user("gatekeeper", group="kommune", name=payload("gatekeeper_name"))
    workflow.decide_gate(wf, gatekeeper, pid, decision="go", scores=GO, comment=payload("comment"))
    return owner, pid


# the page, who looks at it, and the payloads it must show escaped
PAGES = [
    (
        "/projects/{pid}",
        "owner",
        ["title", "summary", "need", "partner_role", "org_name", "comment", "gatekeeper_name"],
    ),
    ("/projects/{pid}/edit", "owner", ["title", "summary", "need"]),
    ("/projects/mine", "owner", ["title"]),
    ("/projects/{pid}/review", "ntnu", ["title", "comment", "owner_name"]),
    ("/gates", "ntnu", ["title"]),
    ("/portfolio", "coordinator", ["title"]),
    ("/portfolio?q={q}", "coordinator", ["q"]),
]


@pytest.mark.parametrize(("page", "role", "names"), PAGES)
def test_payloads_in_text_inputs_are_shown_escaped(
    login, hostile, ntnu, coordinator, page, role, names
):
    owner, pid = hostile
    user = {"owner": owner, "ntnu": ntnu, "coordinator": coordinator}[role]
    url = page.format(pid=pid, q=payload("q").replace("<", "%3C").replace(">", "%3E"))

    body = login(user).text(url)

    for name in names:
        assert_inert(body, name)
        assert escaped(name) in body, name


def test_the_api_returns_payloads_as_json_text_not_html(api, hostile):
    owner, pid = hostile

    response = api.as_(owner).get(f"/api/v1/projects/{pid}")

    assert response.mimetype == "application/json"
    assert response.json["title"] == payload("title")


MARKDOWN = (
    "**Viktig** [lenke](javascript:alert(md)) <script>alert(md)</script>"
    '<img src=x onerror="alert(md)"> <a href="javascript:alert(md)">a</a>'
    " [data](data:text/html;base64,PHNjcmlwdD4=)"
)


@pytest.fixture
def markdown_wf(db, tmp_path):
    """A workflow whose ``lab`` definition carries hostile Markdown in its guidance."""
    folder = tmp_path / "definitions"
    shutil.copytree(DATA, folder)
    lab = folder / "lab.yaml"
    source = lab.read_text(encoding="utf-8")
    hostile = MARKDOWN.replace('"', '\\"')
    lab.write_text(
        source.replace('"Beskriv **behovet**."', f'"{hostile}"').replace(
            'description: {nb: "Til tester."', f'description: {{nb: "{hostile}"'
        ),
        encoding="utf-8",
    )
    assert source != lab.read_text(encoding="utf-8")
    return make_workflow(db, folder, SHIPPED)


def test_definition_markdown_is_rendered_and_sanitised_on_its_pages(markdown_wf, create_user):
    user = create_user("owner")
    pid = workflow.create_project(markdown_wf, user, definition="lab", title="Markdown")
    app = create_app({"TESTING": True}, settings=workflow.Settings(), wf=markdown_wf)
    browser = Browser(app.test_client())
    assert browser.login(user).status_code == 302

    for url in ("/definitions/lab", f"/projects/{pid}", "/definitions", "/projects/new"):
        body = browser.text(url)
        for live in ("<script>alert(md)", "<img src=x onerror", 'href="javascript:', 'href="data:'):
            assert live not in body, (url, live)
    # the guidance is Markdown, rendered and cleaned; the description is text, escaped
    assert "<strong>Viktig</strong>" in browser.text("/definitions/lab")
    assert "<strong>Viktig</strong>" in browser.text(f"/projects/{pid}")
    assert "&lt;script&gt;alert(md)" in browser.text("/definitions")
