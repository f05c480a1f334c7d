"""Partners in a real browser: a suggestion is invited and confirmed, the project goes to its
gate, and a gatekeeper below that partner is told why they cannot vote while another can.

The registry (a university, a faculty with keywords, a department below it), the people and
the project are made through the engine; everything after that is clicks through the pages.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

import workflow
from tests.browser.conftest import log_in, screenshot
from tests.webtools import PASSWORD
from webapp.templating import DAY_PATTERNS

pytestmark = pytest.mark.browser

TITLE = "Strøing etter veisensorer på glatte fortau"
FACULTY = "Fjordby universitet, Fakultet for vintervei"
KEYWORDS = ["vinterdrift", "veisensorer", "glattkjøring"]


def _registry_and_people(site) -> tuple[dict[str, workflow.Actor], int]:
    """A kommune, a university → faculty (the partner to be) → department, and a second
    research institute; the owner in the kommune, an NTNU-group gatekeeper in the department
    (conflicted once the faculty is a partner) and one in the institute (not conflicted)."""
    wf = site.wf
    workflow.add_organisation(wf, None, name="Fjordby kommune", type="public", key="fjordby_k")
    university = workflow.add_organisation(
        wf, None, name="Fjordby universitet", type="research", key="fjordby_u"
    )
    faculty = workflow.add_organisation(
        wf, None, name="Fjordby fakultet", type="research", key="fjordby_f", parent_id=university
    )
    # the keywords and the name come in a later edit, as a coordinator would add them
    workflow.update_organisation(
        wf, None, faculty, name=FACULTY, keywords=KEYWORDS, thematic_areas=["smartby"]
    )
    department = "Fjordby institutt for vegdekke"
    workflow.add_organisation(
        wf, None, name=department, type="research", key="fjordby_vd", parent_id=faculty
    )
    workflow.add_organisation(wf, None, name="Kystforskning AS", type="research", key="kyst")
    people = {
        "owner": ("oda@fjordby.kommune.example", "Oda Eier", "owner", None, "fjordby_k"),
        "conflicted": ("dag@fjordby.example", "Dag Vegdekke", "gatekeeper", "ntnu", "fjordby_vd"),
        "free": ("frida@kyst.example", "Frida Fri", "gatekeeper", "ntnu", "kyst"),
    }
    for email, name, role, group, org in people.values():
        workflow.add_user(
            wf,
            email=email,
            name=name,
            role=role,
            password=PASSWORD,
            group=group,
            organisation_key=org,
        )
    return {k: workflow.get_actor(wf, email=p[0]) for k, p in people.items()}, faculty


def log_out(page) -> None:
    page.locator("form[action='/logout'] button").click()
    page.wait_for_load_state()


def queue_row(page, title: str):
    """Opens the gate queue from the menu; its row of the project ``title``."""
    page.get_by_role("link", name="Beslutningskø").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(row).to_have_count(1)
    return row


def test_an_invited_partner_makes_its_gatekeepers_step_aside(new_page, site):
    users, faculty = _registry_and_people(site)
    wf = site.wf
    project = workflow.create_project(
        wf,
        users["owner"],
        definition="ipo",
        title=TITLE,
        summary="Veisensorer varsler glattkjøring, så vinterdrift kan strø før fotgjengere faller.",
        thematic_area="smartby",
        fields={"need": "Fallulykker på glatte fortau om vinteren koster mye."},
    )
    for item in ("need_described", "owner_anchored", "research_need_identified"):
        workflow.set_checklist_item(wf, users["owner"], project, item, True)
    # the registry was filled behind the app's back; an earlier test's index of this site
    # would be rebuilt in the background only after the first page asked
    workflow.refresh_suggestions(wf)

    # (1) the owner sees why the faculty is suggested and invites it
    page = new_page()
    log_in(page, users["owner"])
    page.goto(f"/projects/{project}")
    panel = page.get_by_role("region", name="Foreslåtte partnere")
    top = panel.locator("li.suggestion").first
    expect(top).to_contain_text(FACULTY)
    expect(top).to_contain_text("Nøkkelordene finnes i prosjektet")
    for keyword in KEYWORDS:
        expect(top.locator(".reasons")).to_contain_text(keyword)
    screenshot(page, "partners_01_suggestions")
    top.get_by_role("button", name=re.compile("^Inviter")).click()
    expect(page.locator(".flashes")).to_contain_text("Organisasjonen er invitert som partner.")
    partners = page.get_by_role("region", name="Partnere")
    row = partners.get_by_role("row").filter(has_text=FACULTY)
    status = row.get_by_label(f"Status for {FACULTY}")
    expect(status.locator("option:checked")).to_have_text("Invitert")
    expect(panel).not_to_contain_text(FACULTY)  # a partner is no longer suggested

    # (2) the owner confirms the partner; the page says since when
    status.select_option(label="Bekreftet")
    row.get_by_role("button", name=re.compile("^Lagre")).click()
    expect(page.locator(".flashes")).to_contain_text("Partnerens status er lagret.")
    expect(status.locator("option:checked")).to_have_text("Bekreftet")
    (partner,) = workflow.get_project(wf, project).partners
    assert partner["organisation_id"] == faculty
    confirmed_on = partner["confirmed_on"]
    day = confirmed_on if isinstance(confirmed_on, date) else date.fromisoformat(confirmed_on)
    expect(row).to_contain_text(f"siden {format_date(day, DAY_PATTERNS['nb'], locale='nb')}")
    screenshot(page, "partners_02_confirmed")

    # (3) the owner submits the project to the first gate
    page.get_by_role("button", name=re.compile("^Send til «Idévurdering")).click()
    expect(page.locator(".notice-review")).to_be_visible()
    log_out(page)

    # (4) a gatekeeper of the department below the faculty is marked and told why
    log_in(page, users["conflicted"])
    row = queue_row(page, TITLE)
    expect(row.locator(".badge-conflict")).to_have_text("Inhabil")
    screenshot(page, "partners_03_queue_conflict")
    row.get_by_role("link", name=re.compile("^Vurder")).click()
    note = page.get_by_role("note")
    expect(note).to_contain_text("Du kan ikke stemme her")
    expect(note).to_contain_text(f"Du er inhabil: {FACULTY} er partner i prosjektet")
    expect(page.locator("form.decision-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Registrer beslutningen min")).to_have_count(0)
    screenshot(page, "partners_04_review_conflict")
    log_out(page)

    # (5) a gatekeeper of an organisation outside the faculty votes
    log_in(page, users["free"])
    row = queue_row(page, TITLE)
    expect(row.locator(".badge-conflict")).to_have_count(0)
    row.get_by_role("link", name=re.compile("^Vurder")).click()
    expect(page.get_by_role("note")).to_have_count(0)
    for criterion in ("need", "novelty", "anchoring"):
        page.locator(f"#scores_{criterion}-3").check()  # a 4 on each
    page.locator("#decision-0").check()  # go
    page.locator("#comment").fill("Tydelig behov, god partner.")
    page.get_by_role("button", name="Registrer beslutningen min").click()
    expect(page.locator(".flashes")).to_contain_text("Stemmen din for «godkjenn» er registrert")
    votes = workflow.get_project(wf, project).votes
    assert [(v["voter_name"], v["decision"]) for v in votes] == [("Frida Fri", "go")]
