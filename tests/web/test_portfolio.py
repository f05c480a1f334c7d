"""The coordinator's portfolio: funnel, stalled projects, filters and pagination."""

from __future__ import annotations

from datetime import timedelta

import workflow


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

    assert 'Prosjekter som har stoppet opp <span class="muted">(1)</span>' in body
    assert '<td class="num">15</td>' in body
