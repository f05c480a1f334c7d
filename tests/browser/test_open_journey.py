"""The public portfolio in a real browser (issue #17): a coordinator publishes a project from
its page; a visitor without login sees it at /open at 360 px in bokmål and English, with no
horizontal scrolling, no person and no serious axe violation; unpublishing removes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import workflow
from tests.browser.conftest import describe, log_in, screenshot, serious_violations

pytestmark = pytest.mark.browser

TITLE = "Sensorstøttet tilsyn om natten i Fjordvik"


def test_a_coordinator_publishes_and_a_visitor_sees_it_in_both_languages(new_page, site):
    wf, owner, coordinator = site.wf, site.users["owner"], site.users["coordinator"]
    pid = workflow.create_project(
        wf, owner, definition="mdi", title=TITLE, summary="Færre unødvendige nattbesøk."
    )
    partner = workflow.add_organisation(wf, None, name="Fjordvik helsehus", type="public")
    workflow.add_partner(wf, owner, pid, organisation_id=partner, role="Pilotsted")

    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, coordinator)
    page.goto(f"/projects/{pid}")
    publish = page.locator("#publish")
    expect(publish).to_contain_text("Ikke publisert")
    publish.get_by_role("button", name="Publiser").click()
    expect(page.locator("#publish")).to_contain_text("Publisert siden")
    screenshot(page, "open_01_published_1366")

    visitor = new_page()
    visitor.set_viewport_size({"width": 360, "height": 800})
    visitor.goto("/open")
    card = visitor.locator(f"#project-{pid}")
    expect(card).to_contain_text(TITLE)
    expect(card).to_contain_text("Fjordvik helsehus")
    body = visitor.content()
    assert owner.name not in body
    assert owner.email not in body
    width = visitor.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360"
    violations = serious_violations(visitor)
    assert not violations, describe(violations)
    screenshot(visitor, "open_02_visitor_nb_360")

    visitor.get_by_role("link", name="English").click()
    expect(visitor.locator("h1")).to_have_text("Open projects")
    expect(visitor.locator(f"#project-{pid}")).to_contain_text("Partners")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(visitor, "open_03_visitor_en_360")

    page.goto(f"/projects/{pid}")
    page.locator("#publish").get_by_role("button", name="Avpubliser").click()
    expect(page.locator("#publish")).to_contain_text("Ikke publisert")
    visitor.goto("/open?lang=en")
    expect(visitor.locator(f"#project-{pid}")).to_have_count(0)
