"""Lessons learned and search in a real browser: the owner of a killed project writes its
lesson; a new owner typing a similar idea clicks "Finn lignende prosjekter" and sees the
project and its lesson, the typed text kept; the search page finds an inflected word.
Screenshots at 1366 and 360 px wide.

The killed project is made through the engine; the lesson, the new idea and the search are
clicks through the pages.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import workflow
from tests.browser.conftest import describe, log_in, screenshot, serious_violations
from tests.webtools import PASSWORD
from workflow.demo.seed import satisfy

pytestmark = pytest.mark.browser

TITLE = "Digitalt tilsyn med sensorer i hjemmetjenesten på Fjellheim"


def _killed_project(site) -> int:
    wf, owner = site.wf, site.users["owner"]
    project = workflow.create_project(
        wf,
        owner,
        definition="mdi",
        title=TITLE,
        summary="Sensorer skal varsle hjemmetjenesten om fall hos eldre som bor hjemme.",
    )
    gate = wf.catalog.get("mdi").gates_from(wf.catalog.get("mdi").first_stage.key)[0].key
    satisfy(wf, owner, project, gate, values={})
    # mdi v2: the employee's nearest leader (gatekeeper group "leder") decides
    leader = _leader(wf)
    workflow.set_roles(wf, owner, project, {"leader": leader.id})
    workflow.submit_project(wf, owner, project, gate=gate)
    workflow.decide_gate(wf, leader, project, decision="kill", comment="Nei")
    return project


def _leader(wf) -> workflow.Actor:
    email = "leder.lesson@example.no"
    try:
        return workflow.get_actor(wf, email=email)
    except workflow.NotFound:
        workflow.add_user(
            wf, email=email, name="Lene Leder", role="gatekeeper", password=PASSWORD, group="leder"
        )
        return workflow.get_actor(wf, email=email)


def test_a_lesson_is_written_then_found_by_a_new_owner_and_by_search(new_page, site):
    project = _killed_project(site)
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, site.users["owner"])
    page.goto(f"/projects/{project}")
    expect(page.locator("#lesson")).to_contain_text("Hva lærte dere?")
    page.locator("#lesson textarea[name=worked]").fill(
        "Tett dialog med de ansatte i hjemmetjenesten."
    )
    page.locator("#lesson textarea[name=did_not_work]").fill(
        "Anskaffelsene av sensorer tok over et år."
    )
    page.locator("#lesson textarea[name=advice]").fill("Avklar innkjøpet før piloten starter.")
    page.locator("#lesson input[name=tags]").fill("velferdsteknologi, anskaffelse")
    page.get_by_role("button", name="Lagre erfaringene").click()
    expect(page.locator(".flash-success")).to_contain_text("Erfaringene er lagret.")
    expect(page.locator("#lesson")).to_contain_text("Anskaffelsene av sensorer tok over et år.")
    expect(page.locator(".timeline, body").first).to_contain_text("skrev ned erfaringene")
    screenshot(page, "lesson_01_written_1366")

    workflow.add_user(
        site.wf, email="nina@fjellheim.example", name="Nina Ny", role="owner", password=PASSWORD
    )
    nina = workflow.get_actor(site.wf, email="nina@fjellheim.example")
    other = new_page()
    other.set_viewport_size({"width": 360, "height": 800})
    log_in(other, nina)
    other.goto("/projects/new/mdi")
    other.locator("#title").fill("Fallsensorer for eldre i hjemmetjenesten")
    other.locator("#summary").fill("Vi vil prøve sensorer som varsler ved fall.")
    other.get_by_role("button", name="Finn lignende prosjekter").click()
    similar = other.locator("#similar")
    expect(similar).to_contain_text("Andre har prøvd dette")
    expect(similar).to_contain_text(TITLE)
    expect(similar).to_contain_text("Anskaffelsene av sensorer tok over et år.")
    expect(other.locator("#title")).to_have_value("Fallsensorer for eldre i hjemmetjenesten")
    width = other.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    screenshot(other, "lesson_02_similar_360")

    other.get_by_role("link", name="Søk").first.click()
    other.locator("#q").fill("ANSKAFFELSE")
    other.locator("form[role=search] button[type=submit]").click()
    hit = other.locator(".search-hit", has_text=TITLE)
    expect(hit.locator("mark").first).to_have_text("Anskaffelsene")
    assert other.evaluate("document.documentElement.scrollWidth") <= 360
    assert not (found := serious_violations(other)), describe(found)
    screenshot(other, "lesson_03_search_360")
    other.set_viewport_size({"width": 1366, "height": 900})
    screenshot(other, "lesson_04_search_1366")
