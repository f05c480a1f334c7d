"""The coordinator's portfolio: funnel, stalled projects, filters and pagination."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import workflow
from tests.funding_kit import add_funding


def make_projects(wf, owner, count, **values):
    return [
        workflow.create_project(wf, owner, definition="lab", title=f"Prosjekt {n:03}", **values)
        for n in range(count)
    ]


def test_the_funnel_counts_projects_per_definition_and_stage(
    login, wf, owner, coordinator, kommune, ntnu, submitted_project
):
    make_projects(wf, owner, 2)

    body = login(coordinator).text("/portfolio")

    assert "Trakt etter samarbeidsform og fase" in body
    assert "Testløp" in body
    assert "(3 prosjekter)" in body
    assert '<th scope="row">Idé</th>' in body
    assert "Aktiv 2, Til vurdering 1" in body
    assert 'class="seg seg-active" style="width: 66.7%"' in body


def test_filters_narrow_the_list_and_the_funnel(login, wf, owner, coordinator, submitted_project):
    make_projects(wf, owner, 2, thematic_area="byutvikling")

    browser = login(coordinator)
    by_status = browser.text("/portfolio?status=in_review")
    by_area = browser.text("/portfolio?thematic_area=byutvikling&definition=lab&stage=idea")
    by_text = browser.text("/portfolio?q=Digital")

    assert "(1 funnet)" in by_status
    assert "Digital hjemmeoppfølging" in by_status
    assert "(2 funnet)" in by_area
    assert "Digital hjemmeoppfølging" not in by_area
    assert "(1 funnet)" in by_text


def test_a_wrong_filter_value_is_ignored_not_an_error(login, coordinator, new_project):
    response = login(coordinator).get("/portfolio?status=bogus&page=abc")

    assert response.status_code == 200
    assert "(1 funnet)" in response.get_data(as_text=True)


def test_the_list_pages_and_keeps_the_filters(login, wf, owner, coordinator):
    make_projects(wf, owner, 27, thematic_area="innovasjon")

    browser = login(coordinator)
    first = browser.text("/portfolio?thematic_area=innovasjon")
    second = browser.text("/portfolio?thematic_area=innovasjon&page=2")

    assert "Side 1 av 2" in first
    assert "/portfolio?page=2&amp;thematic_area=innovasjon" in first
    assert "Prosjekt 026" in first
    assert "Prosjekt 000" not in first
    assert "Prosjekt 000" in second
    assert "Side 2 av 2" in second


def test_stalled_projects_are_listed_with_their_days_idle(
    login, wf, owner, coordinator, new_project
):
    later = wf.clock() + timedelta(days=15)
    wf.clock = lambda: later

    body = login(coordinator).text("/portfolio")

    assert 'Prosjekter som står stille <span class="muted">(1)</span>' in body
    assert '<td class="num">15</td>' in body


def test_the_applications_and_grants_section_in_bokmal(login, wf, owner, coordinator):
    add_funding(wf, owner)

    body = login(coordinator).text("/portfolio")

    assert "Søknader og tilslag" in body
    assert "Søknader og tilslag per år" in body
    assert "Tilslagsprosent per utlysning" in body
    assert "Tildelt per tematisk område" in body
    assert '<th scope="row">IPO 2021</th>' not in body  # a link to the call
    assert ">IPO 2021</a>" in body
    assert '<td class="num">31\u00a0%</td>' in body
    assert "34\u00a0000\u00a0000\u00a0kr" in body
    assert "7\u00a0000\u00a0000\u00a0kr" in body
    assert '<th scope="row">Helse og velferd</th>' in body
    assert '<th scope="row">Uten tematisk område</th>' in body
    assert 'href="/portfolio/funding.csv"' in body


def test_the_section_in_english(login, wf, owner, coordinator):
    add_funding(wf, owner)
    workflow.set_language(wf, coordinator, "en")

    body = login(coordinator).text("/portfolio")

    assert "Applications and grants per year" in body
    assert ">IPO 2021 (en)</a>" in body
    assert '<td class="num">31%</td>' in body
    assert "NOK\u00a034,000,000" in body
    assert '<th scope="row">Health and welfare</th>' in body
    assert "Søknader og tilslag" not in body


def test_the_charts_are_accessible_svg_with_their_numbers_in_tables(login, wf, owner, coordinator):
    add_funding(wf, owner)

    body = login(coordinator).text("/portfolio")

    charts = re.findall(r"<svg [^>]*>", body)
    assert len(charts) == 2
    for tag in charts:
        assert 'role="img"' in tag
        assert 'width="100%"' in tag
        labelled = re.search(r'aria-labelledby="([^"]+)"', tag)
        assert labelled is not None
        for ident in labelled.group(1).split():
            assert f'id="{ident}"' in body
    assert (
        '<title id="funding-years-chart-title">Søknader sendt og innvilget per år</title>' in body
    )
    assert "<script" not in body
    funding = body[body.index('id="funding-h"') :]
    funding = funding[: funding.index("</section>")]
    assert funding.count('<div class="table-wrap"') == 3  # each chart's table, and the calls'


def test_no_applications_yet_says_so(login, coordinator):
    body = login(coordinator).text("/portfolio")

    assert "Ingen søknad er sendt til en utlysning ennå." in body
    assert "<svg" not in body


def test_the_table_per_call_downloads_as_csv_for_a_coordinator(login, wf, owner, coordinator):
    add_funding(wf, owner, title_2021='=HYPERLINK("http://evil.example/","x")')

    response = login(coordinator).get("/portfolio/funding.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["call_id", "funder", "title"]
    assert rows[-1][2:] == [
        '\'=HYPERLINK("http://evil.example/","x")',
        "2021",
        "29",
        "9",
        "20",
        "0",
        "0.3103",
        "34000000",
        "7000000",
    ]


def test_the_csv_is_for_coordinators_and_admins_only(login, wf, owner, admin):
    add_funding(wf, owner)

    assert login(owner).get("/portfolio/funding.csv").status_code == 403
    assert login(admin).get("/portfolio/funding.csv").status_code == 200


# --- issue 15 item 11: a page past the end and a wrong filter say so ------------------------


def test_a_wrong_filter_value_is_named_and_the_others_still_apply(
    login, wf, owner, coordinator, new_project
):
    workflow.create_project(
        wf, owner, definition="lab", title="Annet", thematic_area="helse_velferd"
    )

    body = login(coordinator).text("/portfolio?status=bogus&thematic_area=helse_velferd")

    assert "ikke brukt: Status." in body
    assert "(1 funnet)" in body


def test_a_page_past_the_end_says_so_and_links_to_the_first(login, coordinator, new_project):
    body = login(coordinator).text("/portfolio?page=99999")

    assert "Det finnes ingen side 99999" in body
    assert "Ingen prosjekter passer med filtrene" not in body
