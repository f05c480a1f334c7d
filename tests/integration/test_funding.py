"""Funding on the read side: applications and success rate per call and year, the amount
granted per thematic area, and the per-call rows for a spreadsheet."""

from __future__ import annotations

import pytest
from sqlalchemy import event

import workflow
from tests.funding_kit import add_funding
from workflow import InvalidInput


def test_applications_and_success_rate_per_call(wf, owner):
    ids = add_funding(wf, owner)

    found = workflow.funding_by_call(wf)

    by_id = {c.call_id: c for c in found.calls}
    ipo21 = by_id[ids["ipo21"]]
    assert (ipo21.submitted, ipo21.granted, ipo21.rejected, ipo21.pending) == (29, 9, 20, 0)
    assert round(100 * ipo21.success_rate) == 31
    assert (ipo21.applied_amount, ipo21.granted_amount) == (34_000_000, 7_000_000)
    assert (ipo21.year, ipo21.funder, ipo21.title["en"]) == (
        2021,
        "Forskningsrådet",
        "IPO 2021 (en)",
    )
    ipo22 = by_id[ids["ipo22"]]
    assert (ipo22.submitted, ipo22.granted, ipo22.rejected, ipo22.pending) == (4, 1, 1, 2)
    assert ipo22.success_rate == 0.5
    assert (ipo22.applied_amount, ipo22.granted_amount) == (5_000_000, 3_000_000)
    new_year = by_id[ids["new_year"]]
    assert (new_year.year, new_year.submitted, new_year.success_rate) == (2022, 1, None)
    # calls without an application sent are left out; the latest deadline comes first
    assert [c.call_id for c in found.calls] == [ids["ipo22"], ids["new_year"], ids["ipo21"]]


def test_the_same_per_deadline_year_in_oslo_and_in_all(wf, owner):
    add_funding(wf, owner)

    found = workflow.funding_by_call(wf)

    years = {y.year: y for y in found.years}
    assert list(years) == [2021, 2022]
    assert (years[2021].submitted, years[2021].granted, years[2021].decided) == (29, 9, 29)
    assert (years[2022].submitted, years[2022].granted, years[2022].pending) == (5, 1, 3)
    assert years[2022].applied_amount == 5_400_000
    assert (found.total.submitted, found.total.granted, found.total.rejected) == (34, 10, 21)
    assert found.total.granted_amount == 10_000_000


def test_a_year_keeps_the_calls_whose_deadline_falls_in_it(wf, owner):
    ids = add_funding(wf, owner)

    in_2022 = workflow.funding_by_call(wf, year=2022)
    in_2020 = workflow.funding_by_call(wf, year=2020)

    assert {c.call_id for c in in_2022.calls} == {ids["ipo22"], ids["new_year"]}
    assert [y.year for y in in_2022.years] == [2022]
    assert (in_2020.calls, in_2020.years, in_2020.total.submitted) == ([], [], 0)
    with pytest.raises(InvalidInput):
        workflow.funding_by_call(wf, year=99_999)


def test_nothing_applied_for_gives_empty_figures(wf):
    found = workflow.funding_by_call(wf)

    assert (found.calls, found.years, found.total.success_rate) == ([], [], None)
    assert workflow.granted_by_area(wf) == []


def test_granted_amount_and_count_per_thematic_area(wf, owner):
    add_funding(wf, owner)

    found = workflow.granted_by_area(wf)

    assert [(a.area, a.granted, a.granted_amount) for a in found] == [
        ("helse_velferd", 5, 5_000_000),
        ("byutvikling", 4, 2_000_000),
        (None, 1, 3_000_000),
    ]


def test_each_figure_is_one_query(wf, owner):
    add_funding(wf, owner)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(wf.db.engine, "before_cursor_execute", count)
    try:
        workflow.funding_by_call(wf)
        by_call = len(statements)
        workflow.granted_by_area(wf)
    finally:
        event.remove(wf.db.engine, "before_cursor_execute", count)

    assert (by_call, len(statements)) == (1, 2)


def test_the_rows_for_a_spreadsheet_neutralise_formulas(wf, owner):
    add_funding(wf, owner, title_2021='=HYPERLINK("http://evil.example/","x")')

    rows = list(workflow.funding_rows(wf, language="en"))

    assert rows[0][:4] == ["call_id", "funder", "title", "year"]
    ipo21 = rows[-1]
    assert ipo21[2:] == [
        '\'=HYPERLINK("http://evil.example/","x")',
        2021,
        29,
        9,
        20,
        0,
        0.3103,
        34_000_000,
        7_000_000,
    ]
    assert rows[1][2] == "Regional 2022"
