"""Governance in a real browser: a gatekeeper logs in and lands on My tasks, sees the vote
waiting with its SLA, opens the review (the decision point's label, what changed since the
board sent the project back), and names a substitute; an admin ends a thematic area's
validity. Screenshots at 1366 and 360 px.

The definition (a gate labelled BP2), the project and its first round at the gate are made
through the engine; everything the gatekeeper and the admin do is clicks.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

import workflow
from tests.browser.conftest import log_in, screenshot
from tests.webtools import PASSWORD
from workflow.definitions.base import THEMATIC_AREAS

pytestmark = pytest.mark.browser

TITLE = "Felles innbyggerdialog for Unikom"
BOARD = """
key: styre
version: 1
title: {nb: Styresak, en: Board case}
description: {nb: "Til nettlesertesten.", en: "For the browser test."}
stages:
  - {key: idea, title: {nb: Idé, en: Idea}, sla_days: 14, guidance: {nb: Idé., en: Idea.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - key: proposal
    from: idea
    to: done
    title: {nb: Prosjektforslag, en: Project proposal}
    decision_point: {nb: BP2, en: DP2}
    quorum: {kommune: 1, ntnu: 1}
    kill_quorum: {kommune: 1, ntnu: 1}
"""


def _sent_back_and_resubmitted(site, tmp_path) -> int:
    """A project the kommune gatekeeper sent back once, changed and submitted again."""
    wf = site.wf
    path = tmp_path / "styre.yaml"
    path.write_text(BOARD, encoding="utf-8")
    with wf.db.write() as conn:
        workflow.store.catalog.register_definitions(
            conn, workflow.load_definitions([path]), now=wf.clock()
        )
    wf.reload_definitions()
    owner, kommune = site.users["owner"], site.users["kommune"]
    project = workflow.create_project(wf, owner, definition="styre", title=TITLE)
    workflow.submit_project(wf, owner, project, gate="proposal")
    workflow.decide_gate(wf, kommune, project, decision="recycle", comment="Beskriv behovet.")
    workflow.update_project(wf, owner, project, summary="Innbyggerne vil bli hørt tidlig.")
    workflow.submit_project(wf, owner, project, gate="proposal")
    return project


def _both_widths(page, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, f"{name}_1366")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, f"{name}_360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1, name
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_gatekeeper_sees_the_vote_reviews_what_changed_and_names_a_substitute(
    new_page, site, tmp_path
):
    wf = site.wf
    project = _sent_back_and_resubmitted(site, tmp_path)
    workflow.add_user(
        wf, email="ada@samspill.example", name="Ada Admin", role="admin", password=PASSWORD
    )
    admin = workflow.get_actor(wf, email="ada@samspill.example")
    # the site's tables start empty: give it every built-in area, as the migration does,
    # so the other journeys on this site still find theirs
    known = {a["key"] for a in workflow.list_thematic_areas(wf)}
    for key in THEMATIC_AREAS:
        if key not in known:
            workflow.save_thematic_area(wf, admin, key, new=True, label_nb=key, label_en=key)

    # (1) the ntnu gatekeeper lands on My tasks and sees the vote with its SLA
    page = new_page()
    log_in(page, site.users["ntnu"])
    expect(page).to_have_url(f"{site.url}/tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine oppgaver")
    task = page.locator(".task", has_text=TITLE)
    expect(task).to_contain_text("Din stemme")
    expect(task).to_contain_text("BP2")
    expect(task).to_contain_text("Behandlingsfrist 14 dager")
    # the menu counts what the page lists (other journeys on this site may add tasks)
    expect(page.locator(".count-badge").first).to_contain_text(str(page.locator(".task").count()))
    _both_widths(page, "governance_01_tasks")

    # (2) the review shows the decision point and what changed since the board sent it back
    task.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{site.url}/projects/{project}/review")
    expect(page.get_by_role("heading", level=1)).to_contain_text("BP2: Prosjektforslag")
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Hva er endret siden forrige vurdering")
    expect(changes).to_contain_text("Olivia Eier")
    expect(page.locator(".review-layout")).to_contain_text("Stopp krever stopp-stemmer fra")
    _both_widths(page, "governance_02_review")

    # (3) the gatekeeper names a substitute from the menu
    page.get_by_role("link", name="Stedfortreder").click()
    today = wf.today()
    page.get_by_label("Stedfortrederens e-postadresse").fill(site.users["coordinator"].email)
    page.get_by_label("Fra").fill(today.isoformat())
    page.get_by_label("Til og med").fill((today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator(".flashes")).to_contain_text("Cora Koordinator er din stedfortreder.")
    _both_widths(page, "governance_03_substitute")
    page.locator("form[action='/logout'] button").click()

    # (4) an admin ends a thematic area's validity
    log_in(page, admin)
    expect(page).to_have_url(f"{site.url}/tasks")
    page.goto("/admin/areas")
    row = page.locator("tr", has_text="unikom")
    expect(row).to_contain_text("gjelder i dag")
    row.get_by_role("button", name="Avslutt gyldighet").click()
    expect(page.locator(".flashes")).to_contain_text("tilbys ikke lenger nye prosjekter")
    expect(page.locator("tr", has_text="unikom")).to_contain_text("gjelder ikke i dag")
    _both_widths(page, "governance_04_areas")
