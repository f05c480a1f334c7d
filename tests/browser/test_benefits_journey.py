"""Benefit realisation in a real browser: the owner builds a benefit with a baseline and a
target, the benefit owner (a line manager) records measurements, the chart shows them; a
bad value is refused with a message naming the field. Screenshots at 1366 and 360 px of
the project page's section and the portfolio's."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import workflow
from tests.browser.conftest import describe, log_in, screenshot, serious_violations

pytestmark = pytest.mark.browser

TITLE = "Digital tilsynsordning på natt i Fjellby"


def test_a_benefit_is_planned_measured_and_charted(new_page, site):
    owner, manager = site.users["owner"], site.users["kommune"]
    pid = workflow.create_project(site.wf, owner, definition="mdi", title=TITLE)

    page = new_page()
    log_in(page, owner)
    page.goto(f"/projects/{pid}#benefits")
    section = page.locator("#benefits")
    expect(section.locator("h2")).to_have_text("Gevinstrealiseringsplan")
    form = section.locator("#benefit-add-form")
    form.locator("#new-description").fill("Færre unødvendige tilsynsbesøk om natten")
    form.locator("#new-type").select_option("efficiency")
    form.locator("#new-chain_link").select_option("user_effect")
    form.locator("#new-indicator").fill("Fysiske tilsyn per natt")
    form.locator("#new-unit").fill("besøk")
    form.locator("#new-change_on").fill("2026-08-01")
    form.locator("#new-baseline_value").fill("20")
    form.locator("#new-baseline_on").fill("2026-06-01")
    form.locator("#new-target_value").fill("5")
    form.locator("#new-target_on").fill("2026-12-01")
    form.locator("#new-owner_email").fill(manager.email)
    form.locator("#new-nok_per_year").fill("480000")
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash, [role=status], .flashes").first).to_contain_text(
        "Gevinsten er lagt til i planen."
    )
    (bid,) = [b["id"] for b in workflow.project_benefits(site.wf, pid).items]

    page = new_page()
    log_in(page, manager)
    for value, day in (("16", "2026-09-01"), ("11,5", "2026-10-01")):
        page.goto(f"/projects/{pid}#benefit-{bid}")
        page.locator(f"#m{bid}-value").fill(value)
        page.locator(f"#m{bid}-measured_on").fill(day)
        page.locator(f"#benefit-{bid} form.benefit-form button[type=submit]").click()
        expect(page.get_by_text("Målingen er registrert.")).to_be_visible()

    chart = page.locator(f"#benefit-{bid} svg.benefit-chart")
    expect(chart.locator("circle.chart-measurement")).to_have_count(2)
    expect(chart.locator("circle.chart-baseline")).to_have_count(1)
    expect(chart.locator("line.chart-target")).to_have_count(1)
    expect(chart.locator("polyline.chart-measured-line")).to_have_count(1)
    expect(chart.locator("desc")).to_contain_text("2 måling(er)")
    expect(page.locator(f"#benefit-{bid} table")).to_contain_text("11,5")

    page.locator(f"#m{bid}-value").fill("mange")
    page.locator(f"#m{bid}-measured_on").fill("2026-10-15")
    page.locator(f"#benefit-{bid} form.benefit-form button[type=submit]").click()
    expect(page.get_by_text("Målt verdi: Må være et tall")).to_be_visible()
    expect(page.locator(f"#benefit-{bid} circle.chart-measurement")).to_have_count(2)

    assert not (found := serious_violations(page)), describe(found)
    for width in (1366, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/projects/{pid}#benefits")
        page.locator("#benefits").screenshot(
            path=str(_artifact(f"benefits_project_{width}")), animations="disabled"
        )
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the page scrolls sideways at {width} px ({scroll})"

    page = new_page()
    log_in(page, site.users["coordinator"])
    page.goto("/portfolio#benefits")
    portfolio = page.locator("section#benefits")
    expect(portfolio).to_contain_text("Planlagte og realiserte gevinster per tematisk område")
    expect(portfolio.locator("svg rect.chart-planned").first).to_be_visible()
    for width in (1366, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/portfolio#benefits")
        page.locator("section#benefits").screenshot(
            path=str(_artifact(f"benefits_portfolio_{width}"))
        )
    screenshot(page, "benefits_portfolio_full_360")


def _artifact(name: str):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
