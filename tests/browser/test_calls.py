"""The calls' pages in a real browser at 360 px: a coordinator registers a call, everyone
reads it; no horizontal scrolling and no serious axe finding."""

from __future__ import annotations

import pytest

from tests.browser.conftest import describe, log_in, screenshot, serious_violations

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    violations = serious_violations(page)
    assert violations == [], describe(violations)


def test_a_coordinator_registers_a_call_on_a_narrow_screen(new_page, site):
    page = new_page()
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, site.users["coordinator"])

    page.get_by_role("link", name="Utlysninger").click()
    page.get_by_role("link", name="Registrer en utlysning").click()
    page.wait_for_load_state()
    page.locator("#funder").fill("Norges forskningsråd")
    page.locator("#title_nb").fill("Innovasjonsprosjekt i offentlig sektor 2027")
    page.locator("#opens_on").fill("2027-08-12")
    page.locator("#deadline").fill("2027-08-01")  # before it opens
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.locator("#deadline-error").is_visible()
    _fits(page)
    page.locator("#deadline").fill("2027-09-22")
    page.locator("#min_amount").fill("3000000")
    page.locator("#max_amount").fill("16000000")
    page.locator("#max_support_rate_public").fill("50")
    page.locator("#required_partners_research").fill("1")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert "Innovasjonsprosjekt" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_text("22. sep. 2027 kl. 13:00").is_visible()
    screenshot(page, "calls_01_detail")
    _fits(page)

    page.get_by_role("link", name="Utlysninger").first.click()
    page.wait_for_load_state()
    screenshot(page, "calls_02_list")
    _fits(page)
