"""The project page's benefit realisation plan: add a benefit, record measurements, the
chart and its table, refusals naming the field (bokmål and English)."""

from __future__ import annotations

import re

import workflow
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)

BENEFIT = {
    "description": "Færre timer på manuell registrering",
    "type": "efficiency",
    "chain_link": "user_effect",
    "indicator": "Timer per uke",
    "unit": "timer",
    "change_on": "2026-09-01",
    "baseline": {"value": 40, "on": "2026-08-01"},
    "target": {"value": 10, "on": "2026-10-01"},
    "nok_per_year": 350000,
}


def _form(prefix: str, token: str, **values: str) -> dict[str, str]:
    return {f"{prefix}csrf_token": token, **{f"{prefix}{k}": v for k, v in values.items()}}


def test_the_owner_builds_a_benefit_and_the_benefit_owner_measures_it(
    login, wf, owner, kommune, new_project
):
    browser = login(owner)
    page = browser.text(f"/projects/{new_project}")
    assert "Gevinstrealiseringsplan" in page
    added = browser.post(
        f"/projects/{new_project}/benefits",
        _form(
            "new-",
            browser.token,
            description="Raskere saksbehandling",
            type="efficiency",
            chain_link="user_effect",
            indicator="Dager per sak",
            change_on="2026-09-01",
            baseline_value="20",
            baseline_on="2026-08-01",
            target_value="5",
            target_on="2026-12-01",
            owner_email=kommune.email,
            nok_per_year="120000",
        ),
        follow_redirects=True,
    )
    body = added.get_data(as_text=True)
    assert "Gevinsten er lagt til i planen." in body, body[-3000:]
    (bid,) = [b["id"] for b in workflow.project_benefits(wf, new_project).items]

    manager = login(kommune)
    manager.get(f"/projects/{new_project}")
    for value, day in (("15", "2026-09-15"), ("11,5", "2026-10-15")):
        done = manager.post(
            f"/projects/{new_project}/benefits/{bid}/measurements",
            _form(f"m{bid}-", manager.token, value=value, measured_on=day),
            follow_redirects=True,
        )
        assert "Målingen er registrert." in done.get_data(as_text=True)
    page = manager.text(f"/projects/{new_project}")
    chart = page[page.index(f'id="benefit-{bid}"') :]
    assert chart.count('class="chart-measurement"') == 2
    assert 'class="chart-baseline"' in chart
    assert 'class="chart-target"' in chart
    assert "11,5" in chart
    assert re.search(r"<desc id=\"benefit-\d+-desc\">[^<]*2 m", chart)

    wrong = manager.post(
        f"/projects/{new_project}/benefits/{bid}/measurements",
        _form(f"m{bid}-", manager.token, value="mange", measured_on="2026-10-20"),
        follow_redirects=True,
    )
    assert "Målt verdi: Må være et tall" in wrong.get_data(as_text=True)


def test_the_page_in_english_with_the_flag_for_a_missed_measurement(login, wf, owner, new_project):
    workflow.set_language(wf, owner, "en")
    workflow.add_benefit(wf, owner, new_project, **BENEFIT)
    page = login(owner).text(f"/projects/{new_project}")
    for text in ("Benefit realisation plan", "Measurement missing", "Efficiency (NOK)", "350,000"):
        assert text in page, text


def test_a_late_baseline_is_refused_naming_the_field(login, owner, new_project):
    browser = login(owner)
    browser.get(f"/projects/{new_project}")
    refused = browser.post(
        f"/projects/{new_project}/benefits",
        _form(
            "new-",
            browser.token,
            description="X",
            type="quality",
            chain_link="output",
            change_on="2026-08-01",
            baseline_value="1",
            baseline_on="2026-09-01",
        ),
        follow_redirects=True,
    )
    assert "Dato for nullpunkt: " in refused.get_data(as_text=True)


def test_the_portfolio_shows_planned_against_realised_and_the_flag(
    login, wf, owner, coordinator, new_project
):
    bid = workflow.add_benefit(wf, owner, new_project, **BENEFIT)
    workflow.add_benefit(
        wf, owner, new_project, **{**BENEFIT, "type": "quality", "nok_per_year": 50000}
    )
    page = login(coordinator).text("/portfolio")
    section = page[page.index('id="benefits"') :]
    assert "Planlagte og realiserte gevinster per tematisk område" in section
    assert "400\u00a0000\u00a0kr" in section
    assert "Prosjekter der en gevinstmåling mangler etter måldatoen: 1" in section
    assert section.count('class="chart-realised"') >= 2
    workflow.record_measurement(wf, owner, new_project, bid, value=9, measured_on="2026-10-02")
    section = login(coordinator).text("/portfolio")
    assert "350\u00a0000\u00a0kr" in section


def test_the_export_has_planned_and_realised_nok_per_year(wf, owner, new_project):
    bid = workflow.add_benefit(wf, owner, new_project, **BENEFIT)
    workflow.record_measurement(wf, owner, new_project, bid, value=9, measured_on="2026-10-02")
    header, row = list(workflow.portfolio_rows(wf))[:2]
    assert header[-2:] == ["benefits_planned_nok_per_year", "benefits_realised_nok_per_year"]
    assert row[-2:] == [350000, 350000]


def test_the_plan_writes_numbers_and_dates_as_the_shared_formatters_do(app):
    from datetime import date

    from webapp.i18n import day, decimal
    from webapp.projects.benefits import day_formatter, decimal_formatter

    for lang in ("nb", "en"):
        with app.test_request_context():
            from flask import session

            from webapp.i18n import language

            session["language"] = lang
            assert language() == lang
            written, dated = decimal_formatter(), day_formatter()
            for value in (0, 5, -12.25, 1234.5, 1_234_567.04):
                assert written(value) == decimal(value), (lang, value)
            for d in (date(2026, 1, 31), date(2026, 5, 1), date(2026, 6, 15), date(2026, 10, 1)):
                assert dated(d) == day(d), (lang, d)


def test_the_owner_changes_a_benefit_through_its_form(login, wf, owner, new_project):
    bid = workflow.add_benefit(wf, owner, new_project, **BENEFIT)
    browser = login(owner)
    page = browser.text(f"/projects/{new_project}")
    assert f'id="b{bid}-indicator"' not in page  # drawn only when asked for
    page = browser.text(f"/projects/{new_project}?edit_benefit={bid}")
    assert f'id="b{bid}-indicator"' in page
    changed = browser.post(
        f"/projects/{new_project}/benefits/{bid}",
        _form(
            f"b{bid}-",
            browser.token,
            description=BENEFIT["description"],
            type="efficiency",
            chain_link="societal_effect",
            indicator="Timer i uka",
            baseline_value="40",
            baseline_on="2026-08-01",
            change_on="2026-09-01",
        ),
        follow_redirects=True,
    )
    assert "Gevinsten er endret." in changed.get_data(as_text=True)
    (b,) = workflow.project_benefits(wf, new_project).items
    assert (b["indicator"], b["chain_link"], b["target_value"]) == (
        "Timer i uka",
        "societal_effect",
        None,
    )
