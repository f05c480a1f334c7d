"""The portfolio as a dashboard (issue #15, item 15): funnel bars on one scale, the stalled
list under the filters with time in stage, counts per thematic area, an export, and a query
count that does not grow with the projects."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

import workflow
from tests.conftest import EPOCH


def _new(wf, owner, definition: str, title: str, area: str | None = "helse_velferd") -> int:
    return workflow.create_project(
        wf, owner, definition=definition, title=title, thematic_area=area
    )


@pytest.fixture
def mixed(wf, owner) -> dict[str, int]:
    """Two lab ideas and one IPO idea, all stalled a month later."""
    ids = {
        "lab1": _new(wf, owner, "lab", "Lab en"),
        "lab2": _new(wf, owner, "lab", "Lab to", area="oppvekst_utdanning"),
        "ipo": _new(wf, owner, "ipo", "IPO en"),
    }
    wf.clock = lambda: EPOCH + timedelta(days=40)
    return ids


def _bar_widths(body: str, title: str) -> list[float]:
    card = body[body.index(f"<h3>{title}") :]
    card = card[: card.index("</table>")]
    return [float(w) for w in re.findall(r'style="width: ([\d.]+)%"', card)]


def test_funnel_bars_share_one_scale_across_collaboration_forms(login, coordinator, mixed):
    body = login(coordinator).text("/portfolio")

    assert max(_bar_widths(body, "Testløp")) == 100.0  # two ideas: the largest stage
    assert max(_bar_widths(body, "Innovasjonsprosjekt i offentlig sektor")) == 50.0


def test_the_stalled_list_honours_the_filters_and_shows_time_in_stage(login, coordinator, mixed):
    browser = login(coordinator)

    everything = browser.text("/portfolio")
    only_ipo = browser.text("/portfolio?definition=ipo")

    stalled_all = everything[everything.index('id="stalled-h"') :]
    stalled_ipo = only_ipo[only_ipo.index('id="stalled-h"') :]
    stalled_ipo = stalled_ipo[: stalled_ipo.index("</section>")]
    assert "Lab en" in stalled_all[: stalled_all.index("</section>")]
    assert "IPO en" in stalled_ipo
    assert "Lab en" not in stalled_ipo
    assert "Dager i fasen" in stalled_ipo
    assert re.search(
        r'<td class="num">39</td><td class="num">39</td>', stalled_ipo
    )  # 40 days less the seconds since EPOCH


def test_the_page_counts_projects_per_thematic_area_in_a_table(login, coordinator, mixed):
    body = login(coordinator).text("/portfolio")

    section = body[body.index('id="areas-h"') :]
    section = section[: section.index("</section>")]
    assert "<table" in section
    assert re.search(r"Helse og velferd</a></th>\s*<td class=\"num\">2</td>", section)


def test_the_export_gives_the_filtered_projects_as_csv_and_xlsx(login, coordinator, mixed):
    browser = login(coordinator)
    assert 'href="/portfolio/export.xlsx?definition=lab"' in browser.text(
        "/portfolio?definition=lab"
    )

    response = browser.get("/portfolio/export.csv?definition=lab")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(browser.get("/portfolio/export.xlsx").data)).active

    assert response.mimetype == "text/csv"
    assert sorted(r[rows[0].index("title")] for r in rows[1:]) == ["Lab en", "Lab to"]
    assert sheet.max_row == 4  # the header and all three projects


def test_the_export_is_for_coordinators_only(login, owner):
    assert login(owner).get("/portfolio/export.csv").status_code == 403


def test_an_unknown_export_format_is_a_404(login, coordinator):
    assert login(coordinator).get("/portfolio/export.pdf").status_code == 404


def test_the_portfolio_costs_the_same_queries_however_many_projects(login, wf, owner, coordinator):
    browser = login(coordinator)
    browser.text("/tasks")  # the menu's task count is then cached
    counts = []
    made = 0
    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    for total in (4, 30):
        wf.clock = lambda: EPOCH
        for n in range(made, total):
            _new(wf, owner, "lab" if n % 2 else "ipo", f"Prosjekt {n}")
        made = total
        wf.clock = lambda: EPOCH + timedelta(days=40)  # every one stalled
        sent.clear()
        event.listen(wf.db.engine, "before_cursor_execute", count)
        try:
            body = browser.text("/portfolio?stalled=yes")
        finally:
            event.remove(wf.db.engine, "before_cursor_execute", count)
        assert f"Prosjekt {total - 1}" in body
        counts.append(len(sent))

    assert counts[0] == counts[1], counts
