"""SPEC §7: no input gives a 500 or a traceback — each bad input of the red-team pass is a
4xx (or exit 1) naming what is wrong, on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
from urllib.parse import quote

import pytest
from click.testing import CliRunner

import workflow
from tests.conftest import ROOT
from tests.web.api_fixtures import project_url
from webapp.cli import main

BEYOND_SQLITE = 2**63  # SQLite's INTEGER ends at 2**63 - 1
BEYOND_POSTGRES = 2**31  # PostgreSQL's INTEGER ends at 2**31 - 1
DIGITS = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000


def arabic_indic(number: int) -> str:
    """``number`` in Arabic-Indic digits (٣ for 3): Python's int() reads them as digits."""
    return "".join(chr(0x660 + int(d)) for d in str(number))


# (name, role, method, path, form or None, status, a fragment the answer names)
UI_CASES = [
    ("show beyond SQLite", "owner", "GET", f"/projects/{BEYOND_SQLITE}", None, 404, ""),
    ("show beyond PostgreSQL", "owner", "GET", f"/projects/{BEYOND_POSTGRES}", None, 404, ""),
    ("edit beyond", "owner", "GET", f"/projects/{BEYOND_POSTGRES}/edit", None, 404, ""),
    ("review beyond", "gatekeeper", "GET", f"/projects/{BEYOND_SQLITE}/review", None, 404, ""),
    (
        "partner removal beyond",
        "owner",
        "POST",
        f"/projects/{{pid}}/partners/{BEYOND_POSTGRES}/remove",
        {},
        404,
        "",
    ),
    ("show in Arabic-Indic digits", "owner", "GET", "/projects/{arabic}", None, 404, ""),
    (
        "hidden version ²",
        "owner",
        "POST",
        "/projects/{pid}/edit",
        {"title": "Ny tittel", "version": "²"},
        400,
        "versjonsnummer",
    ),
    (
        "hidden version of 5000 digits",
        "owner",
        "POST",
        "/projects/{pid}/edit",
        {"title": "Ny tittel", "version": DIGITS},
        400,
        "versjonsnummer",
    ),
    (
        "review version ²",
        "gatekeeper",
        "POST",
        "/projects/{pid}/review",
        {"decision": "hold", "comment": "Vent", "version": "²"},
        400,
        "versjonsnummer",
    ),
    (
        "NUL in a form field",
        "owner",
        "POST",
        "/projects/{pid}/edit",
        {"title": "Før\x00etter", "version": "{version}"},
        400,
        "title",
    ),
    ("NUL in the portfolio search", "coordinator", "GET", "/portfolio?q=%00", None, 400, "q"),
]


@pytest.fixture
def case_project(wf, owner, submitted_project):
    """The test's project (in review) and its version."""
    return submitted_project, workflow.get_project(wf, submitted_project).project["version"]


@pytest.mark.parametrize(
    ("role", "method", "path", "form", "status", "names"),
    [pytest.param(*case[1:], id=case[0]) for case in UI_CASES],
)
def test_bad_input_on_pages_is_a_4xx_naming_it(
    login, owner, kommune, coordinator, case_project, role, method, path, form, status, names
):
    pid, version = case_project
    user = {"owner": owner, "gatekeeper": kommune, "coordinator": coordinator}[role]
    browser = login(user)
    url = path.format(pid=pid, arabic=quote(arabic_indic(pid)))
    if form is None:
        response = browser.get(url)
    else:
        data = {k: v.format(version=version) if v == "{version}" else v for k, v in form.items()}
        response = browser.post(url, data)

    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert names in response.get_data(as_text=True)


def _json(text: str) -> dict:
    return {"data": text, "content_type": "application/json"}


# (name, method, path, request keyword arguments, a fragment the error names)
API_CASES = [
    ("JSON nested 100000 deep", "POST", "/api/v1/projects", _json(DEEP), "nested too deeply"),
    (
        "5000-digit integer in fields",
        "POST",
        "/api/v1/projects",
        _json(f'{{"definition": "lab", "title": "Stor", "fields": {{"budget": {DIGITS}}}}}'),
        "too many digits",
    ),
    ("id in Arabic-Indic digits", "GET", "{arabic}", {}, "project_id"),
    ("id beyond SQLite", "GET", project_url(BEYOND_SQLITE), {}, "project_id"),
    ("id beyond PostgreSQL", "GET", project_url(BEYOND_POSTGRES), {}, "project_id"),
    (
        "edit beyond",
        "PATCH",
        project_url(BEYOND_POSTGRES),
        {"json": {"title": "Ny"}},
        "project_id",
    ),
    (
        "review beyond",
        "POST",
        project_url(BEYOND_SQLITE, "/decisions"),
        {"json": {"decision": "hold", "comment": "Vent"}},
        "project_id",
    ),
    (
        "partner removal beyond",
        "DELETE",
        "{pid_url}/partners/" + str(BEYOND_POSTGRES),
        {},
        "partner_id",
    ),
    (
        "NUL in a title",
        "POST",
        "/api/v1/projects",
        {"json": {"definition": "lab", "title": "Før\x00etter"}},
        "title",
    ),
    ("NUL in a query", "GET", "/api/v1/projects?q=%00", {}, "q"),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "names"), [pytest.param(*c[1:], id=c[0]) for c in API_CASES]
)
def test_bad_input_to_the_api_is_a_400_naming_it(
    api, owner, case_project, method, path, kwargs, names
):
    pid, _ = case_project
    url = path.format(arabic=project_url(quote(arabic_indic(pid))), pid_url=project_url(pid))

    response = api.as_(owner).request(method, url, **kwargs)

    assert response.status_code == 400, response.get_data(as_text=True)[:2000]
    error = response.get_json()["error"]
    assert names in error["message"] or names in error["fields"], error


@pytest.fixture
def samspill(db, tmp_path):
    """Run ``samspill`` in-process against the test's database (SQLite or PostgreSQL)."""
    url = (
        f"sqlite:///{tmp_path / 'cli.db'}"
        if db.is_sqlite
        else db.engine.url.render_as_string(hide_password=False)
    )
    env = {
        "SAMSPILL_DATABASE_URL": url,
        "SAMSPILL_DEFINITIONS": str(ROOT / "definitions"),
        "SAMSPILL_AUDIT_KEY": "a" * 32,
    }

    def run(*args: str, **more_env: str):
        return CliRunner().invoke(main, list(args), env={**env, **more_env})

    assert run("init").exit_code == 0
    return run


def test_check_as_of_the_end_of_time_is_exit_1_naming_the_option(samspill):
    result = samspill("check", "--as-of", "9999-12-31")

    assert result.exit_code == 1, result.output
    assert "--as-of" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("version", [2**31, 2**63, 0])
def test_a_definition_version_beyond_the_column_fails_check_and_init(samspill, tmp_path, version):
    folder = tmp_path / "definitions"
    folder.mkdir()
    lab = (ROOT / "tests" / "data" / "lab.yaml").read_text(encoding="utf-8")
    (folder / "lab.yaml").write_text(
        lab.replace("version: 1\n", f"version: {version}\n", 1), encoding="utf-8"
    )

    checked = samspill("definitions", "check", str(folder / "lab.yaml"))
    initialised = samspill("init", SAMSPILL_DEFINITIONS=str(folder))

    assert (checked.exit_code, initialised.exit_code) == (1, 1), initialised.output
    assert "lab.yaml: version:" in checked.output
    assert "lab.yaml: version:" in initialised.output


def test_serve_on_a_port_in_use_is_exit_1_naming_the_port(samspill):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = samspill("serve", "--no-scheduler", "--port", str(port))

    assert result.exit_code == 1, result.output
    assert f"127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output
