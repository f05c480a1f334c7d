"""Numbers, money and dates in the user's language (issue #15, item 8): ``3,0`` not ``3.0``,
``10 000 tegn``, ``1 250 000 kr``; English readers get ``NOK 1,250,000`` and ``10,000``."""

from __future__ import annotations

import re
from datetime import date

import pytest

import workflow

NBSP = "\u00a0"


@pytest.fixture
def costly(wf, owner) -> int:
    """A lab project with a large budget and a deadline."""
    return workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Stort budsjett",
        fields={"budget": 1_250_000, "deadline": "2027-03-01"},
    )


def test_money_and_dates_on_the_project_page_are_norwegian_in_bokmal(login, owner, costly):
    body = login(owner).text(f"/projects/{costly}")

    assert f"1{NBSP}250{NBSP}000{NBSP}kr" in body
    assert "1. mars 2027" in body
    assert "1250000" not in body
    assert "1 250 000,00" not in body


def test_money_is_in_english_for_an_english_reader(login, wf, owner, costly):
    workflow.set_language(wf, owner, "en")

    body = login(owner).text(f"/projects/{costly}")

    assert f"NOK{NBSP}1,250,000" in body
    assert "1 Mar 2027" in body


def test_a_length_limit_is_written_with_grouped_digits(login, owner, costly):
    browser = login(owner)
    page = browser.text(f"/projects/{costly}/edit")
    version = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page
    )
    assert version

    response = browser.post(
        f"/projects/{costly}/edit",
        {"title": "Stort budsjett", "summary": "x" * 10_001, "version": version.group(1)},
    )

    body = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert f"10{NBSP}000 tegn" in body, re.findall(r'class="error"[^>]*>([^<]*)', body)


def test_scores_and_weights_have_a_decimal_comma(login, kommune, submitted_project):
    body = login(kommune).text(f"/projects/{submitted_project}/review")

    assert "poengsum på minst 3,0" in body or "minst 3,0" in body
    assert "3.0" not in body
    assert "(vekt 2)" in body


def test_counts_on_the_definition_page_use_the_page_language(login, wf, owner):
    workflow.set_language(wf, owner, "en")
    body = login(owner).text("/definitions/lab")

    assert "Stalled after 10 days without activity." in body


def test_the_number_filter_groups_thousands_in_each_language(app):
    from webapp.i18n import number

    with app.test_request_context(headers={"Accept-Language": "nb"}):
        from flask_babel import force_locale

        with force_locale("nb"):
            assert number(10_000) == f"10{NBSP}000"
            assert number(2.5) == "2,5"
            assert number(None) == ""
        with force_locale("en"):
            assert number(10_000) == "10,000"
    assert date(2027, 3, 1)  # the dates are covered on the pages above
