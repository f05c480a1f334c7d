"""The project page's reports and the portfolio's overdue reports, in bokmål and English."""

from __future__ import annotations

from datetime import date

import pytest
from flask import session
from sqlalchemy import update

import workflow
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from webapp.i18n import describe_requirement
from workflow.store.tables import projects


def end_on(wf, pid: int, day: str) -> None:
    with wf.db.write() as conn:
        conn.execute(
            update(projects).where(projects.c.id == pid).values(fields={"project_end": day})
        )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", ["Rapporter", "Framdriftsrapport", "1. okt. 2026", "Forfalt", "Ikke levert",
                "Utbetaling holdes tilbake", "Sluttrapporten skal leveres senest 28. feb. 2027",
                "Legg til sluttrapporten, frist 28. feb. 2027"]),
        ("en", ["Reports", "Progress report", "1 Oct 2026", "Overdue", "Not delivered",
                "Payment held", "The final report is due 28 Feb 2027",
                "Add the final report, due 28 Feb 2027"]),
    ],
)  # fmt: skip
def test_the_project_page_shows_reports_in_the_users_language(
    login, wf, owner, new_project, language, words
):
    workflow.set_language(wf, owner, language)
    workflow.add_report(wf, owner, new_project, kind="progress", due_on="2026-10-01")
    end_on(wf, new_project, "2027-01-31")

    body = login(owner).text(f"/projects/{new_project}")

    for text in words:
        assert text in body, text


def test_the_owner_adds_and_delivers_and_a_coordinator_approves(
    login, wf, owner, coordinator, new_project
):
    end_on(wf, new_project, "2027-04-30")
    browser = login(owner)
    browser.get(f"/projects/{new_project}")
    added = browser.post(
        f"/projects/{new_project}/reports/progress",
        {"due_on": "2027-03-01"},
        follow_redirects=True,
    )
    assert "Framdriftsrapporten er lagt til." in added.get_data(as_text=True)
    browser.post(f"/projects/{new_project}/reports/final")
    reports = workflow.project_reports(wf, new_project)
    assert [(r["kind"], r["due_on"]) for r in reports.items] == [
        ("progress", date(2027, 3, 1)),
        ("final", date(2027, 5, 30)),
    ]
    progress = reports.items[0]["id"]
    page = browser.text(f"/projects/{new_project}")
    assert "Godkjenn" not in page
    delivered = browser.post(
        f"/projects/{new_project}/reports/{progress}/deliver",
        {"note": "Som planlagt"},
        follow_redirects=True,
    )
    assert "Rapporten er levert." in delivered.get_data(as_text=True)
    assert browser.post(f"/projects/{new_project}/reports/{progress}/approve").status_code == 403

    coordinating = login(coordinator)
    page = coordinating.text(f"/projects/{new_project}")
    assert "Godkjenn" in page
    assert "Lever<" not in page  # only the owner delivers
    approved = coordinating.post(
        f"/projects/{new_project}/reports/{progress}/approve", follow_redirects=True
    )
    body = approved.get_data(as_text=True)
    assert "Rapporten er godkjent." in body
    assert f"av {coordinator.name}" in body
    assert "la til en rapport: Framdriftsrapport, frist 1. mars 2027" in body


def test_refusals_are_explained_on_the_page(login, wf, owner, coordinator, new_project):
    browser = login(owner)
    browser.get(f"/projects/{new_project}")
    no_end = browser.post(f"/projects/{new_project}/reports/final", follow_redirects=True)
    assert "gi den gjeldende søknaden en planlagt sluttdato" in no_end.get_data(as_text=True)
    no_day = browser.post(
        f"/projects/{new_project}/reports/progress", {"due_on": ""}, follow_redirects=True
    )
    assert "Velg fristen." in no_day.get_data(as_text=True)

    rid = workflow.add_report(wf, owner, new_project, kind="progress", due_on="2027-03-01")
    early = login(coordinator)
    early.get(f"/projects/{new_project}")
    refused = early.post(f"/projects/{new_project}/reports/{rid}/approve", follow_redirects=True)
    assert "Bare en levert rapport kan godkjennes." in refused.get_data(as_text=True)


def test_the_portfolio_lists_overdue_reports_ten_a_page(login, wf, owner, coordinator):
    pid = workflow.create_project(wf, owner, definition="lab", title="Forsinket")
    for day in range(1, 13):
        workflow.add_report(wf, owner, pid, kind="progress", due_on=f"2026-10-{day:02d}")
    workflow.add_report(wf, owner, pid, kind="progress", due_on="2027-01-01")

    browser = login(coordinator)
    first = browser.text("/portfolio")
    second = browser.text("/portfolio?reports_page=2")

    assert "Forfalte rapporter" in first
    assert "(12)" in first
    assert first.count(f"/projects/{pid}#report-") == 10
    assert "1. okt. 2026" in first
    assert "reports_page=2" in first
    assert second.count(f"/projects/{pid}#report-") == 2
    assert browser.get("/portfolio?reports_page=x").status_code == 200


@pytest.mark.parametrize(
    ("language", "code", "words"),
    [
        ("nb", "report_missing", "Rapport kreves: Sluttrapport, Godkjent"),
        ("nb", "report_not_far_enough", "Rapport kreves: Sluttrapport, Godkjent (nå: Levert)"),
        ("en", "report_not_far_enough", "Report needed: Final report, Approved (now: Delivered)"),
    ],
)
def test_the_reports_requirement_is_worded(app, wf, language, code, words):
    criterion = {
        "kind": "reports",
        "key": "final",
        "code": code,
        "params": {"status": "approved", "furthest": "delivered"},
    }
    spec = wf.catalog.get("lab")
    with app.test_request_context():
        session["language"] = language
        assert describe_requirement(criterion, spec, "idea") == words
