"""Search is case-insensitive for every letter, not only ASCII (SPEC §7), on both databases."""

from __future__ import annotations

import pytest

import workflow
from workflow import ProjectFilter

TITLES = ["Læring i skolen", "ØKONOMI OG VELFERD", "Ärztehaus Nord", "ДАННЫЕ ГОРОДА"]
SUMMARY = "Åpne data for byens Ærlige innbyggere"


@pytest.fixture
def projects(wf, owner):
    """Projects with non-ASCII letters in both cases, one of them in the summary only."""
    ids = {t: workflow.create_project(wf, owner, definition="lab", title=t) for t in TITLES}
    ids["summary"] = workflow.create_project(
        wf, owner, definition="lab", title="Byprosjekt", summary=SUMMARY
    )
    return ids


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("LÆRING", "Læring i skolen"),
        ("økonomi og", "ØKONOMI OG VELFERD"),
        ("äRZTEHAUS", "Ärztehaus Nord"),
        ("данные", "ДАННЫЕ ГОРОДА"),
        ("åPNE DATA", "summary"),
        ("ærlige", "summary"),
        ("BYPROSJEKT", "summary"),
    ],
)
def test_search_folds_every_letter(wf, projects, q, found):
    page = workflow.list_projects(wf, ProjectFilter(q=q))

    assert [item["id"] for item in page.items] == [projects[found]]
    assert page.total == 1


def test_the_api_search_finds_a_title_in_another_case(api, owner, projects):
    response = api.as_(owner).get("/api/v1/projects", query_string={"q": "LÆRING"})

    assert response.status_code == 200
    assert [p["title"] for p in response.get_json()["items"]] == ["Læring i skolen"]


def test_a_search_still_treats_wildcards_as_text(wf, projects):
    assert workflow.list_projects(wf, ProjectFilter(q="Æ%")).total == 0
    assert workflow.list_projects(wf, ProjectFilter(q="Ø_ONOMI")).total == 0


def test_organisation_search_folds_every_letter(wf):
    oid = workflow.add_organisation(wf, None, name="Økern Æresråd", type="civil_society")

    page = workflow.list_organisations(wf, q="øKERN æRESRÅD")

    assert [o["id"] for o in page.items] == [oid]
