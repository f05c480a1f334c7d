"""The whole story in a real browser: idea → requirements → submit → two go votes → timeline."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

IPO_CHECKLIST = ("need_described", "owner_anchored", "research_need_identified")


def log_out(page) -> None:
    page.locator("form[action='/logout'] button").click()
    page.wait_for_load_state()


def vote_go(page, project_title: str, name: str) -> None:
    page.get_by_role("link", name="Beslutningskø").click()
    page.get_by_role("link", name=re.compile(f"Vurder.*{project_title}")).click()
    screenshot(page, name)
    for criterion in ("need", "novelty", "anchoring"):
        page.locator(f"#scores_{criterion}-3").check()  # a 4 on each
    page.locator("#decision-0").check()  # go
    page.locator("#comment").fill("Godt begrunnet behov.")
    page.get_by_role("button", name="Registrer beslutningen min").click()
    page.wait_for_load_state()


def test_an_idea_passes_its_first_gate_with_a_go_from_each_board_group(new_page, site):
    title = "Digital hjemmeoppfølging av eldre"
    page = new_page()
    page.goto("/")
    screenshot(page, "01_login")
    log_in(page, site.users["owner"])
    assert page.locator("html").get_attribute("lang") == "nb"
    screenshot(page, "02_my_projects_empty")

    page.get_by_role("link", name="Ny idé").first.click()
    screenshot(page, "03_choose_form")
    page.get_by_role("link", name=re.compile("^Innovasjonsprosjekt i offentlig sektor")).click()
    page.locator("#title").fill(title)
    page.locator("#summary").fill("Sensorer og video skal gi eldre tryggere hverdag hjemme.")
    page.locator("#thematic_area").select_option("helse_velferd")
    page.locator("#field_need").fill("For mange innleggelser etter fall blant hjemmeboende eldre.")
    screenshot(page, "04_new_idea_form")
    page.get_by_role("button", name="Meld inn idéen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title

    for item in IPO_CHECKLIST:
        page.locator(f"form[action$='/checklist/{item}'] button").click()
        page.wait_for_load_state()
    screenshot(page, "05_project_ready")
    page.get_by_role("button", name=re.compile("Send til «Idévurdering")).click()
    page.wait_for_load_state()
    assert page.locator(".badge-in_review").first.is_visible()
    project_url = page.url
    log_out(page)

    log_in(page, site.users["kommune"])
    screenshot(page, "06_gate_queue")
    vote_go(page, title, "07_gate_review")
    assert "Stemmen din for «godkjenn» er registrert" in page.locator(".flashes").inner_text()
    log_out(page)

    log_in(page, site.users["ntnu"])
    vote_go(page, title, "08_gate_review_second")
    assert "Beslutningen er registrert" in page.locator(".flashes").inner_text()
    log_out(page)

    log_in(page, site.users["owner"])
    page.goto(project_url)
    screenshot(page, "09_project_advanced")
    assert "Partnersøk" in page.locator(".project-head").inner_text()
    timeline = page.locator("#timeline").inner_text()
    assert "passerte «Idévurdering»" in timeline
    assert "Kari Kommune" in timeline
    assert "Nils NTNU" in timeline


def test_the_language_switch_is_remembered_for_the_user(new_page, site):
    page = new_page()
    log_in(page, site.users["coordinator"])
    assert page.get_by_role("heading", level=1).inner_text() == "Mine oppgaver"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "My tasks"
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    log_in(page, site.users["coordinator"])
    assert page.get_by_role("heading", level=1).inner_text() == "My tasks"
    page.goto("/portfolio")
    screenshot(page, "10_portfolio_en")
    page.get_by_role("button", name="Norsk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nb"
