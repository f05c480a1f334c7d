"""axe-core (vendored from its npm package) on the main pages: no serious or critical issue.

Each page is also saved as a screenshot under ``tests/artifacts/`` for a human to look at.
"""

from __future__ import annotations

import pytest

import workflow
from tests.browser.conftest import describe, log_in, screenshot, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def projects(site) -> dict[str, int]:
    """An owner's project in review at the IPO idea gate, and one on hold."""
    wf, owner = site.wf, site.users["owner"]
    ids = {}
    for name in ("review", "hold"):
        pid = workflow.create_project(
            wf,
            owner,
            definition="ipo",
            title=f"Sensorer i hjemmetjenesten ({name})",
            summary="Færre fall og innleggelser.",
            fields={"need": "For mange fall."},
            thematic_area="helse_velferd",
        )
        for item in ("need_described", "owner_anchored", "research_need_identified"):
            workflow.set_checklist_item(wf, owner, pid, item, True)
        workflow.submit_project(wf, owner, pid)
        ids[name] = pid
    workflow.decide_gate(wf, site.users["ntnu"], ids["hold"], decision="hold", comment="Vent")
    return ids


# (screenshot name, who, path)
PAGES = [
    ("a11y_login", None, "/login"),
    ("a11y_my_projects", "owner", "/projects/mine"),
    ("a11y_choose", "owner", "/projects/new"),
    ("a11y_new_idea", "owner", "/projects/new/ipo"),
    ("a11y_project", "owner", "/projects/{review}"),
    ("a11y_project_on_hold", "kommune", "/projects/{hold}"),
    ("a11y_edit", "owner", "/projects/{review}/edit"),
    ("a11y_gate_queue", "kommune", "/gates"),
    ("a11y_gate_review", "kommune", "/projects/{review}/review"),
    ("a11y_portfolio", "coordinator", "/portfolio"),
    ("a11y_definitions", "owner", "/definitions"),
    ("a11y_definition", "owner", "/definitions/ipo"),
    ("a11y_calls", "owner", "/calls"),
    ("a11y_call_form", "coordinator", "/calls/new"),
    ("a11y_not_found", "owner", "/projects/99999"),
    # the pages added since (issue #15)
    ("a11y_search", "owner", "/search?q=sensorer"),
    ("a11y_lessons", "owner", "/lessons"),
    ("a11y_tasks", "owner", "/tasks"),
    ("a11y_open", "owner", "/open"),
    ("a11y_organisations", "owner", "/organisations"),
    ("a11y_propose_organisation", "owner", "/organisations/propose"),
    ("a11y_substitute", "kommune", "/settings/substitute"),
    ("a11y_gatekeeper_tasks", "kommune", "/tasks"),
    ("a11y_review_read_only", "coordinator", "/projects/{review}/review"),
    ("a11y_organisation_new", "coordinator", "/organisations/new"),
]


@pytest.mark.parametrize(("name", "who", "path"), PAGES)
def test_the_page_has_no_serious_accessibility_violations(
    new_page, site, projects, name, who, path
):
    page = new_page()
    if who:
        log_in(page, site.users[who])
    page.goto(path.format(**projects))
    screenshot(page, name)

    violations = serious_violations(page)

    assert violations == [], describe(violations)


def test_a_form_with_errors_has_no_serious_accessibility_violations(new_page, site):
    page = new_page()
    log_in(page, site.users["owner"])
    page.goto("/projects/new/mdi")
    page.locator("#title").fill("")
    page.locator("button[type=submit].button:not([name=similar])").last.click()
    page.wait_for_load_state()
    screenshot(page, "a11y_form_errors")

    violations = serious_violations(page)

    assert page.locator(".error-summary").is_visible()
    assert violations == [], describe(violations)


def test_the_skip_link_moves_keyboard_focus_to_the_main_content(new_page, site):
    page = new_page()
    log_in(page, site.users["owner"])

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
