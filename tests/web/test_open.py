"""The public portfolio (issue #17, SPEC §5 ``/open``): a coordinator publishes from the
project page; anyone sees only published projects, in bokmål and English, as a page, JSON and
CSV — never an email, a person's name or an unpublished project."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import insert

import workflow
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from workflow.store.tables import contacts

SECRET_TITLE = "Hemmelig forprosjekt Zyxwv"


@pytest.fixture
def portfolio(wf, create_user, coordinator):
    """A published project with a partner whose contact is a distinctive person, an owner with
    a distinctive name, and an unpublished project; returns (published id, the needles)."""
    owner = create_user("owner", name="Ingeborg Qvistgaard-Ødegård")
    org = workflow.add_organisation(
        wf, None, name="=Forskningsinstitutt Trondheim", type="research"
    )
    with wf.db.write() as conn:
        conn.execute(
            insert(contacts).values(
                organisation_id=org,
                name="Torbjørn Xylofonsen",
                email="torbjorn.xylofonsen@forsk.example",
                role="Kontakt",
            )
        )
    public = workflow.create_project(
        wf, owner, definition="lab", title="Digital tilsyn", summary="Færre nattbesøk."
    )
    workflow.add_partner(wf, owner, public, organisation_id=org, role="FoU")
    hidden = workflow.create_project(wf, owner, definition="lab", title=SECRET_TITLE)
    workflow.publish_project(wf, coordinator, public)
    needles = [
        owner.name,
        owner.email,
        coordinator.name,
        coordinator.email,
        "Torbjørn Xylofonsen",
        "torbjorn.xylofonsen@forsk.example",
        SECRET_TITLE,
        "@example",
    ]
    return public, hidden, needles


def _clean(body: str, needles: list[str]) -> None:
    for needle in needles:
        assert needle.casefold() not in body.casefold(), needle


def test_anyone_sees_only_published_projects_and_no_person(client, portfolio):
    public, _hidden, needles = portfolio
    page = client.get("/open")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Digital tilsyn" in body
    assert "Åpne prosjekter" in body
    assert "=Forskningsinstitutt Trondheim" in body
    _clean(body, needles)
    assert page.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in page.headers
    assert "csrf_token" not in body

    english = client.get("/open?lang=en").get_data(as_text=True)
    assert "Open projects" in english
    _clean(english, needles)

    data = client.get("/open.json")
    assert data.headers["Cache-Control"].startswith("public")
    listed = json.loads(data.get_data(as_text=True))
    assert [i["id"] for i in listed["items"]] == [public]
    assert listed["items"][0]["partners"] == ["=Forskningsinstitutt Trondheim"]
    _clean(data.get_data(as_text=True), needles)

    exported = client.get("/open.csv").get_data(as_text=True)
    _clean(exported, needles)
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][0] == "id"
    assert [r[1] for r in rows[1:]] == ["Digital tilsyn"]
    assert rows[1][7] == "'=Forskningsinstitutt Trondheim"  # neutralised


@pytest.mark.parametrize(
    "url", ["/open?page=0", "/open?page=x", "/open?lang=de", "/open.json?per_page=1000"]
)
def test_bad_parameters_are_a_400(client, portfolio, url):
    assert client.get(url).status_code == 400


def test_a_signed_in_view_is_never_cacheable(login, portfolio, owner):
    page = login(owner).get("/open")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"


def test_a_coordinator_publishes_and_unpublishes_from_the_project_page(
    login, wf, coordinator, owner, new_project, client
):
    browser = login(coordinator)
    page = browser.text(f"/projects/{new_project}")
    assert "Ikke publisert" in page
    done = browser.post(f"/projects/{new_project}/publish", follow_redirects=True)
    assert "Prosjektet er publisert" in done.get_data(as_text=True)
    assert f'id="project-{new_project}"' in client.get("/open").get_data(as_text=True)
    browser.get(f"/projects/{new_project}")
    browser.post(f"/projects/{new_project}/unpublish", follow_redirects=True)
    assert f'id="project-{new_project}"' not in client.get("/open").get_data(as_text=True)

    owning = login(owner)
    assert 'id="publish"' not in owning.text(f"/projects/{new_project}")
    assert owning.post(f"/projects/{new_project}/publish").status_code == 403


def test_the_api_publishes_with_its_version_rules(api, coordinator, new_project, client):
    as_coordinator = api.as_(coordinator)
    url = f"/api/v1/projects/{new_project}"
    version = as_coordinator.get(url).headers["ETag"]
    stale = as_coordinator.post(f"{url}/publish", headers={"If-Match": '"99"'}, json={})
    assert stale.status_code == 412
    done = as_coordinator.post(f"{url}/publish", headers={"If-Match": version}, json={})
    assert done.status_code == 200
    assert done.json["published"] is True
    assert done.headers["ETag"] != version
    assert as_coordinator.post(f"{url}/publish", json={}).status_code == 409
    assert f'id="project-{new_project}"' in client.get("/open").get_data(as_text=True)
    back = as_coordinator.post(f"{url}/unpublish", json={})
    assert back.json["published"] is False
    assert back.json["published_at"] is None


def test_a_published_projects_measured_benefits_show_with_the_newest_value(
    client, wf, portfolio, create_user
):
    public, _, needles = portfolio
    owner = workflow.get_actor(wf, user_id=workflow.get_project(wf, public).project["owner_id"])
    manager = create_user("owner", name="Målfrid Gevinsteier-Qz")
    needles = [*needles, manager.name, "ikke for offentligheten"]
    benefit = workflow.add_benefit(
        wf,
        owner,
        public,
        description="Færre nattbesøk",
        type="quality",
        chain_link="user_effect",
        indicator="Besøk per natt",
        unit="besøk",
        change_on="2026-09-01",
        baseline={"value": 12, "on": "2026-08-01"},
        target={"value": 4, "on": "2027-03-01"},
        owner_id=manager.id,
    )
    workflow.add_benefit(
        wf, owner, public, description="Ikke målt ennå", type="quality", chain_link="user_effect"
    )
    for value, day in ((9, "2026-10-01"), (6.5, "2026-12-01")):
        workflow.record_measurement(
            wf,
            manager,
            public,
            benefit,
            value=value,
            measured_on=day,
            comment="ikke for offentligheten",
        )
    (item,) = [i for i in client.get("/open.json").get_json()["items"] if i["id"] == public]
    assert item["benefits"] == [
        {
            "name": "Færre nattbesøk",
            "indicator": "Besøk per natt",
            "unit": "besøk",
            "baseline": 12.0,
            "target": 4.0,
            "realised": 6.5,
            "measured_on": "2026-12-01",
        }
    ]
    page = client.get("/open").get_data(as_text=True)
    assert "6,5 besøk målt 1. des. 2026" in page
    assert "utgangspunkt 12" in page
    _clean(page, needles)
    _clean(client.get("/open.json").get_data(as_text=True), needles)


def test_a_completed_project_says_so_once(client, wf, owner, coordinator):
    from sqlalchemy import update

    from workflow.store.tables import projects

    pid = workflow.create_project(wf, owner, definition="ipo", title="Ferdig forprosjekt")
    workflow.publish_project(wf, coordinator, pid)
    with wf.db.write() as conn:  # as if it had passed its last gate
        conn.execute(
            update(projects)
            .where(projects.c.id == pid)
            .values(stage="completed", status="completed")
        )
    body = client.get("/open").get_data(as_text=True)
    card = body[body.index("Ferdig forprosjekt") :]
    assert "Fullført" in card
    assert "Fullført (Fullført)" not in card
    assert "(Fullført)" not in card[: card.index("</dl>")]
