"""Partner suggestions on the web: the API's answer, and the project page's panel with its
invitation button, worded in bokmål and English."""

from __future__ import annotations

import pytest
from sqlalchemy import update

import workflow
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from tests.web.api_fixtures import project_url
from workflow.matching import index as suggestion_index
from workflow.store.tables import Organisation, table

organisations = table(Organisation)


@pytest.fixture(autouse=True)
def _refresh_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suggestion_index, "REFRESH_SECONDS", 0.0)
    monkeypatch.setattr(suggestion_index, "REBUILD_IN_BACKGROUND", False)


@pytest.fixture
def welfare_org(wf) -> int:
    org_id = workflow.add_organisation(
        wf, None, name="NTNU Institutt for helsevitenskap", type="research"
    )
    with wf.db.write() as conn:
        conn.execute(
            update(organisations)
            .where(organisations.c.id == org_id)
            .values(
                keywords=["velferdsteknologi"],
                thematic_areas=["helse_velferd"],
                approved_research=True,
            )
        )
    workflow.add_organisation(wf, None, name="Veglaboratoriet", type="business")
    return org_id


@pytest.fixture
def welfare_project(wf, owner) -> int:
    return workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Velferdsteknologiske løsninger i hjemmetjenesten",
        thematic_area="helse_velferd",
    )


def test_the_api_answers_ranked_suggestions_with_worded_reasons(
    api, owner, welfare_org, welfare_project
):
    response = api.as_(owner).get(project_url(welfare_project, "/partner-suggestions?limit=1"))

    assert response.status_code == 200, response.json
    [item] = response.json["items"]
    assert item["organisation"] == {
        "id": welfare_org,
        "key": "ntnu-institutt-for-helsevitenskap",
        "name": "NTNU Institutt for helsevitenskap",
        "type": "research",
        "approved_research": True,
        "thematic_areas": ["helse_velferd"],
    }
    assert 0 < item["score"] <= 1
    assert item["reasons"][0] == {
        "code": "shared_keywords",
        "params": {"keywords": ["velferdsteknologi"]},
        "text": "its keywords appear in the project: velferdsteknologi",
    }
    assert {
        "code": "approved_research",
        "params": {},
        "text": workflow.Reason("approved_research", {}).text,
    } in item["reasons"]


def test_the_api_filters_by_type_and_refuses_bad_queries(api, owner, welfare_org, welfare_project):
    client = api.as_(owner)
    url = project_url(welfare_project, "/partner-suggestions")

    business = client.get(url + "?type=business").json["items"]

    assert [s["organisation"]["name"] for s in business] == ["Veglaboratoriet"]
    assert client.get(url + "?type=pirates").status_code == 400
    assert client.get(url + "?limit=51").status_code == 400
    assert client.get(project_url(999_999, "/partner-suggestions")).status_code == 404


def test_the_page_words_the_reasons_in_the_users_language(
    wf, login, owner, welfare_org, welfare_project
):
    browser = login(owner)

    nb = browser.text(f"/projects/{welfare_project}")
    workflow.set_language(wf, owner, "en")
    en = login(owner).text(f"/projects/{welfare_project}")

    assert "Foreslåtte partnere" in nb
    assert "Nøkkelordene finnes i prosjektet: velferdsteknologi." in nb
    assert "Arbeider innen temaområdet Helse og velferd." in nb
    assert "Suggested partners" in en
    assert "Its keywords appear in the project: velferdsteknologi." in en
    assert "Works in the thematic area Health and welfare." in en
    assert "needs a partner of type Research." in en


def test_the_owner_invites_a_suggestion_in_one_click(
    wf, login, owner, stranger, welfare_org, welfare_project
):
    assert "/invite" not in login(stranger).text(f"/projects/{welfare_project}")
    browser = login(owner)
    page = browser.text(f"/projects/{welfare_project}")
    assert f"/projects/{welfare_project}/suggestions/{welfare_org}/invite" in page

    response = browser.post(
        f"/projects/{welfare_project}/suggestions/{welfare_org}/invite", {"version": "1"}
    )

    assert response.status_code == 303
    [partner] = workflow.get_project(wf, welfare_project).partners
    assert partner["organisation_id"] == welfare_org
    with wf.db.read() as conn:
        status = conn.exec_driver_sql(
            f"SELECT status FROM project_partners WHERE project_id = {welfare_project}"
        ).scalar()
    assert status == "invited"
    after = browser.text(f"/projects/{welfare_project}")
    assert f"/suggestions/{welfare_org}/invite" not in after


def test_an_invitation_needs_a_version(login, owner, welfare_org, welfare_project):
    browser = login(owner)
    browser.get(f"/projects/{welfare_project}")

    response = browser.post(f"/projects/{welfare_project}/suggestions/{welfare_org}/invite")

    assert response.status_code == 400
