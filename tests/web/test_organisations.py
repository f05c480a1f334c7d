"""The registry's pages, through the Flask test client."""

from __future__ import annotations

import workflow
from tests.webtools import Browser


def test_a_coordinator_searches_and_filters_the_list(login, wf, coordinator):
    workflow.add_organisation(
        wf, coordinator, name="NTNU", type="research", keywords=["Læring"], approved_research=True
    )
    workflow.add_organisation(wf, coordinator, name="Melhus kommune", type="public")
    gone = workflow.add_organisation(wf, coordinator, name="Nedlagt AS", type="business")
    workflow.deactivate_organisation(wf, coordinator, gone)
    b = login(coordinator)

    page = b.get("/organisations?q=LÆRING").get_data(as_text=True)
    assert "NTNU" in page
    assert "Melhus kommune" not in page
    assert "Nedlagt AS" not in b.get("/organisations").get_data(as_text=True)
    assert "Nedlagt AS" in b.get("/organisations?inactive=y").get_data(as_text=True)
    page = b.get("/organisations?type=public&approved=y").get_data(as_text=True)
    assert "Melhus kommune" not in page
    assert b.get("/organisations?type=alien&page=x").status_code == 200


def test_the_menu_links_the_registry_for_coordinators_only(login, coordinator, owner):
    assert "/organisations" in login(coordinator).get("/projects/mine").get_data(as_text=True)
    menu = login(owner).get("/projects/mine").get_data(as_text=True)
    assert 'href="/organisations"' not in menu


def test_a_coordinator_registers_edits_and_sees_every_field(login, wf, coordinator):
    parent = workflow.add_organisation(wf, coordinator, name="NTNU", type="research")
    b = login(coordinator)
    response = b.post(
        "/organisations/new",
        {
            "name": "Institutt for datateknologi",
            "type": "research",
            "org_number": "974767880",
            "parent_id": str(parent),
            "approved_research": "y",
            "keywords": "KI, helse, ki",
            "thematic_areas": ["helse_velferd", "smartby"],
            "contacts-0-name": "Kari Nordmann",
            "contacts-0-email": "kari@ntnu.no",
            "contacts-0-role": "Leder",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = b.get(response.headers["Location"]).get_data(as_text=True)
    for text in ("974767880", "NTNU", "KI, helse", "Kari Nordmann", "kari@ntnu.no"):
        assert text in page
    oid = int(response.headers["Location"].rsplit("/", 1)[1])
    response = b.post(
        f"/organisations/{oid}/edit", {"name": "IDI", "type": "research", "parent_id": "0"}
    )
    assert response.status_code == 303
    org = workflow.get_organisation(wf, oid)
    assert org["name"] == "IDI"
    assert org["parent"] is None
    assert org["contacts"] == []


def test_bad_input_is_a_form_error_naming_the_field(login, wf, coordinator):
    workflow.add_organisation(wf, coordinator, name="NTNU", type="research", org_number="974767880")
    b = login(coordinator)
    bad = b.post(
        "/organisations/new",
        {"name": "X", "type": "research", "org_number": "974767881", "contacts-1-email": "nope"},
    )
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Organisasjonsnummer" in text or "Organisation number" in text
    assert 'id="contacts-1-name-error"' in text or 'id="contacts-1-email-error"' in text
    taken = b.post(
        "/organisations/new", {"name": "Kopi", "type": "research", "org_number": "974767880"}
    )
    assert taken.status_code == 400
    assert "NTNU" in taken.get_data(as_text=True)


def test_merge_deactivate_and_confirm_from_the_detail_page(login, wf, coordinator, owner):
    keep = workflow.add_organisation(wf, coordinator, name="NTNU", type="research")
    dup = workflow.propose_organisation(wf, owner, name="N.T.N.U", type="research")
    b = login(coordinator)
    assert "/confirm" in b.get(f"/organisations/{dup}").get_data(as_text=True)
    assert b.post(f"/organisations/{dup}/confirm", {}).status_code == 303
    assert workflow.get_organisation(wf, dup)["confirmed"] is True
    assert b.post(f"/organisations/{keep}/deactivate", {}).status_code == 303
    assert workflow.get_organisation(wf, keep)["active"] is False
    assert b.post(f"/organisations/{keep}/reactivate", {}).status_code == 303
    merged = b.post(f"/organisations/{dup}/merge", {"into": str(keep)})
    assert merged.status_code == 303
    assert merged.headers["Location"].endswith(f"/organisations/{keep}")
    assert workflow.get_organisation(wf, dup)["merged_into"] == keep
    assert "NTNU" in b.get(f"/organisations/{dup}").get_data(as_text=True)


def test_owners_read_and_propose_but_do_not_manage(login, wf, coordinator, owner, new_project):
    oid = workflow.add_organisation(wf, coordinator, name="NTNU", type="research")
    b: Browser = login(owner)
    assert b.get(f"/organisations/{oid}").status_code == 200
    assert b.get("/organisations/new").status_code == 403
    assert b.get(f"/organisations/{oid}/edit").status_code == 403
    assert b.post(f"/organisations/{oid}/deactivate", {}).status_code == 403
    project_page = b.get(f"/projects/{new_project}").get_data(as_text=True)
    assert f"/organisations/propose?project={new_project}" in project_page
    response = b.post(
        f"/organisations/propose?project={new_project}",
        {"name": "Ny Bedrift AS", "type": "business"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/projects/{new_project}#partners")
    page = b.get(f"/projects/{new_project}").get_data(as_text=True)
    assert "Ny Bedrift AS" in page
    assert "venter på godkjenning" in page or "awaiting confirmation" in page
    assert b.post("/organisations/propose", {"name": "", "type": "x"}).status_code == 400
