"""The registry in a real browser: a coordinator searches, registers, edits and merges."""

from __future__ import annotations

import pytest

import workflow
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_coordinator_keeps_the_registry(new_page, site):
    owner = site.users["owner"]
    dup = workflow.add_organisation(site.wf, None, name="N.T.N.U. Ålesund", type="research")
    project = workflow.create_project(site.wf, owner, definition="ipo", title="Fallsensorer")
    workflow.add_partner(site.wf, owner, project, organisation_id=dup, role="FoU")
    page = new_page()
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, site.users["coordinator"])

    page.get_by_role("link", name="Organisasjoner").click()
    page.locator("#q").fill("ålesund")
    page.get_by_role("button", name="Søk", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="N.T.N.U. Ålesund").is_visible()
    screenshot(page, "registry_01_search")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1

    page.get_by_role("link", name="Registrer en organisasjon").click()
    page.locator("#name").fill("NTNU i Ålesund")
    page.locator("#type").select_option("research")
    page.locator("#org_number").fill("974767881")  # a wrong check digit
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.locator("#org_number-error").is_visible()
    page.locator("#org_number").fill("974767880")
    page.locator("#keywords").fill("Maritim, helse")
    page.locator("#contacts-0-name").fill("Kari Nordmann")
    page.locator("#contacts-0-email").fill("kari@ntnu.no")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "NTNU i Ålesund"
    assert page.get_by_text("kari@ntnu.no").is_visible()
    survivor = int(page.url.rstrip("/").rsplit("/", 1)[1])

    page.get_by_role("link", name="Rediger").click()
    page.locator("#approved_research").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.get_by_text("Organisasjonen er lagret.").is_visible()
    screenshot(page, "registry_02_detail")

    page.goto(f"/organisations/{dup}")
    page.locator("#into").select_option(str(survivor))
    page.get_by_role("button", name="Slå sammen", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/organisations/{survivor}")
    assert page.get_by_role("link", name="Fallsensorer").is_visible()
    screenshot(page, "registry_03_merged")
    partners = workflow.get_project(site.wf, project).partners
    assert [p["organisation_id"] for p in partners] == [survivor]
