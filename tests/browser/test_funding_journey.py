"""Funding in a real browser, on an ipo project (v3 since issue #16): a coordinator
registers a call, the owner applies, is refused by the call's own-share rule, fixes it and
submits; the application is rejected with feedback, the owner re-applies to the next call and
sees the history; it is granted; the final report is added, delivered and approved, and the
last gate's reports requirement is met.

The people, organisations and the project's way to the funding stage (and, after the grant,
to effect follow-up) are made through the engine, including what ipo v3 asks besides the
funding (roles, attachments, a letter of intent, a benefit plan, an approved progress
report); everything about the call, the applications and the reports is clicks through the
pages.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

import workflow
from tests.browser.conftest import log_in, screenshot
from tests.webtools import PASSWORD
from workflow.demo.seed import satisfy
from workflow.store.files import FileStore

pytestmark = pytest.mark.browser

TITLE = "Varslingsløp for skolefravær i Fjellby"
CALL = "Innovasjonsprosjekt i offentlig sektor (Fjellby-test)"
NEXT_CALL = "Innovasjonsprosjekt i offentlig sektor (Fjellby-test, neste år)"
FEEDBACK = "Panelet savner brukermedvirkning fra elever og foresatte."
OSLO = ZoneInfo("Europe/Oslo")


def _people_and_project(site, store: FileStore) -> tuple[workflow.Actor, int]:
    """An owner in a kommune, an approved research partner, and an ipo v3 project that has
    passed its first two gates (a confirmed approved research partner and a public body, the
    roles filled, a call deadline ahead) and holds what its grant gate asks besides the
    application (the four attachments, a letter of intent, a benefit plan)."""
    wf = site.wf
    kommune = workflow.add_organisation(
        wf, None, name="Fjellby kommune", type="public", key="fjellby_kommune"
    )
    research = workflow.add_organisation(
        wf, None, name="Fjellby universitet", type="research", approved_research=True
    )
    workflow.add_user(
        wf,
        email="ola@fjellby.kommune.example",
        name="Ola Søker",
        role="owner",
        password=PASSWORD,
        organisation_key="fjellby_kommune",  # the applicant: a public body
    )
    owner = workflow.get_actor(wf, email="ola@fjellby.kommune.example")
    project = workflow.create_project(wf, owner, definition="ipo", title=TITLE)
    assert workflow.get_project(wf, project).project["definition_version"] == 3
    workflow.add_partner(wf, owner, project, organisation_id=kommune, role="Skoleeier")
    partner = workflow.add_partner(
        wf, owner, project, organisation_id=research, role="FoU-partner", status="confirmed"
    )
    workflow.set_roles(wf, owner, project, _roles(owner))
    for gate in ("idea_review", "ready_to_apply"):
        _pass(site, owner, project, gate)
    workflow.update_partner(wf, owner, project, partner, status="letter_of_intent")
    for kind in ("project_description", "cv", "letter_of_intent", "partner_information"):
        workflow.upload_attachment(
            wf,
            owner,
            project,
            type=kind,
            stream=io.BytesIO(PDF),
            filename=f"{kind}.pdf",
            store=store,
            limit=1 << 20,
        )
    workflow.add_benefit(wf, owner, project, owner_id=owner.id, **BENEFIT)
    return owner, project


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BENEFIT = {
    "description": "Færre elever med bekymringsfullt fravær",
    "type": "quality",
    "chain_link": "user_effect",
    "indicator": "Elever med over 10 % fravær",
    "unit": "elever",
    "change_on": "2026-09-01",
    "baseline": {"value": 40, "on": "2026-08-01"},
    "target": {"value": 25, "on": "2027-06-01"},
}


def _roles(owner: workflow.Actor, **more: int) -> dict[str, int]:
    """ipo v3's roles, all held by the owner in this small test municipality."""
    roles = ("project_manager", "administrative_contact", "research_contact")
    return {**dict.fromkeys(roles, owner.id), **more}


def _pass(site, owner: workflow.Actor, project: int, gate: str) -> None:
    wf = site.wf
    ahead = max(wf.clock().date(), date.today()) + timedelta(days=700)
    values = {"need": "Fravær fanges opp for sent.", "next_call_deadline": ahead.isoformat()}
    satisfy(wf, owner, project, gate, values=values)
    workflow.submit_project(wf, owner, project, gate=gate)
    spec = wf.catalog.of(workflow.get_project(wf, project).project)
    scores = {c.key: 4 for c in spec.gate(gate).scorecard}
    for voter in (site.users["kommune"], site.users["ntnu"]):
        if workflow.get_project(wf, project).project["status"] == "in_review":
            workflow.decide_gate(wf, voter, project, decision="go", scores=scores)


def log_out(page) -> None:
    page.locator("form[action='/logout'] button").click()
    page.wait_for_load_state()


def _choose(select, title: str) -> None:
    """Choose the call ``title`` in a select whose options add funder and deadline."""
    option = select.locator("option", has_text=title)
    expect(option).to_have_count(1)
    select.select_option(option.get_attribute("value"))


def _fill_draft(page, *, applied: str, budget: str) -> None:
    applications = page.locator("#applications")
    applications.get_by_label("Omsøkt beløp (kr)").fill(applied)
    applications.get_by_label("Totalbudsjett (kr)").fill(budget)
    applications.get_by_label("Planlagt start").fill("2027-03-01")
    applications.get_by_label("Planlagt slutt").fill("2029-02-28")
    applications.get_by_role("button", name="Lagre søknaden").click()
    expect(page.locator(".flashes")).to_contain_text("Søknaden er lagret.")


def _record(page, project: int, outcome: str, *, amount: str = "", feedback: str = "") -> None:
    page.goto(f"/projects/{project}#applications")
    applications = page.locator("#applications")
    applications.get_by_label(outcome, exact=True).check()
    if amount:
        applications.get_by_label("Innvilget beløp (kr)").fill(amount)
    if feedback:
        applications.get_by_label("Finansiørens tilbakemelding").fill(feedback)
    applications.get_by_role("button", name="Registrer vedtaket").click()
    expect(page.locator(".flashes")).to_contain_text("Finansiørens vedtak er registrert.")


def test_an_application_is_refused_fixed_rejected_reapplied_granted_and_reported(
    new_page, site, tmp_path
):
    wf = site.wf
    owner, project = _people_and_project(site, FileStore(str(tmp_path / "uploads")))
    coordinator = site.users["coordinator"]
    today = wf.clock().astimezone(OSLO).date()

    # (1) the coordinator registers the call through the calls pages
    page = new_page()
    log_in(page, coordinator)
    page.get_by_role("link", name="Utlysninger").first.click()
    page.get_by_role("link", name="Registrer en utlysning").click()
    page.locator("#funder").fill("Norges forskningsråd")
    page.locator("#title_nb").fill(CALL)
    page.locator("#opens_on").fill(date(today.year, today.month, 1).isoformat())
    page.locator("#deadline").fill(date(today.year + 1, 2, 17).isoformat())
    page.locator("#min_amount").fill("1000000")
    page.locator("#max_amount").fill("16000000")
    page.locator("#max_support_rate_public").fill("50")
    page.locator("#required_partners_research").fill("1")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CALL)
    screenshot(page, "funding_01_call")
    log_out(page)

    # (2) the owner starts an application for it with too small an own share, and is refused
    log_in(page, owner)
    page.goto(f"/projects/{project}")
    applications = page.locator("#applications")
    _choose(applications.get_by_label("Start en søknad til utlysningen"), CALL)
    applications.get_by_role("button", name="Start søknaden").click()
    expect(page.locator(".flashes")).to_contain_text("Søknaden er startet.")
    _fill_draft(page, applied="3000000", budget="4000000")  # own share 25 %, the call asks 50 %
    applications.get_by_role("button", name="Send søknaden").click()
    expect(page.locator(".flashes")).to_contain_text("Søknaden oppfyller ikke utlysningens regler")
    unmet = applications.locator("li.unmet")
    expect(unmet).to_contain_text("Egenandelen 1")
    expect(unmet).to_contain_text("er under 2")
    expect(unmet).to_contain_text("50 % av budsjettet")
    screenshot(page, "funding_02_refused")

    # (3) the owner fixes the budget and submits
    _fill_draft(page, applied="3000000", budget="6000000")
    expect(applications.locator("li.unmet")).to_have_count(0)
    applications.get_by_role("button", name="Send søknaden").click()
    expect(page.locator(".flashes")).to_contain_text("Søknaden er sendt.")
    expect(applications.locator(".badge").first).to_have_text("Sendt inn")
    log_out(page)

    # (4) the coordinator records the rejection with the panel's feedback
    log_in(page, coordinator)
    _record(page, project, "Avslått", feedback=FEEDBACK)
    expect(page.locator("#applications")).to_contain_text(FEEDBACK)
    log_out(page)

    # (5) the owner re-applies to next year's call and sees the history with the feedback
    workflow.create_call(
        wf,
        None,
        funder="Norges forskningsråd",
        title={"nb": NEXT_CALL, "en": NEXT_CALL},
        opens_on=today.replace(day=1),
        deadline=datetime(today.year + 1, 9, 22, 13, 0, tzinfo=OSLO),
        min_amount=1_000_000,
        max_amount=16_000_000,
        max_support_rate={"public": 0.5},
        required_partners={"research": 1},
    )
    log_in(page, owner)
    page.goto(f"/projects/{project}#applications")
    _choose(applications.get_by_label("Søk på nytt til utlysningen"), NEXT_CALL)
    applications.get_by_role("button", name="Søk på nytt").click()
    expect(page.locator(".flashes")).to_contain_text("En ny søknad er startet")
    expect(applications.get_by_role("heading", level=3)).to_contain_text(NEXT_CALL)
    history = applications.locator("details")
    history.locator("summary").click()
    expect(history).to_contain_text("Tidligere søknader (1)")
    expect(history).to_contain_text(f"{CALL}: Avslått")
    expect(history).to_contain_text(FEEDBACK)
    screenshot(page, "funding_03_reapplied")
    applications.get_by_role("button", name="Send søknaden").click()
    expect(page.locator(".flashes")).to_contain_text("Søknaden er sendt.")
    log_out(page)

    # (6) the coordinator records the grant
    log_in(page, coordinator)
    _record(page, project, "Innvilget", amount="3000000")
    log_out(page)
    gates = {g["gate"]: g for g in workflow.get_project(wf, project).next_gates}
    assert all(
        c["met"] for c in gates["application_granted"]["requires"] if c["kind"] != "checklist"
    )
    _pass(site, owner, project, "application_granted")
    report = workflow.add_report(wf, owner, project, kind="progress", due_on="2027-12-01")
    workflow.deliver_report(wf, owner, project, report)
    workflow.approve_report(wf, coordinator, project, report)
    workflow.set_roles(wf, owner, project, _roles(owner, benefit_owner=owner.id))
    _pass(site, owner, project, "execution_complete")

    # (7) the owner adds the final report and delivers it
    log_in(page, owner)
    page.goto(f"/projects/{project}#reports")
    reports = page.locator("#reports")
    reports.get_by_role("button", name=re.compile("^Legg til sluttrapporten, frist")).click()
    expect(page.locator(".flashes")).to_contain_text("Sluttrapporten er lagt til.")
    final = reports.locator("li.report").filter(has_text="Sluttrapport")
    final.get_by_label("Merknad").fill("Levert i Forskningsrådets portal.")
    final.get_by_role("button", name=re.compile("^Lever")).click()
    expect(page.locator(".flashes")).to_contain_text("Rapporten er levert.")
    last_gate = page.locator("#gates .gate").filter(has_text="Gevinster realisert")
    expect(last_gate.locator("li.unmet").filter(has_text="Rapport kreves")).to_have_count(1)
    log_out(page)

    # (8) the coordinator approves it; the last gate's reports requirement is met
    log_in(page, coordinator)
    page.goto(f"/projects/{project}#reports")
    final = page.locator("#reports li.report").filter(has_text="Sluttrapport")
    final.get_by_role("button", name=re.compile("^Godkjenn")).click()
    expect(page.locator(".flashes")).to_contain_text("Rapporten er godkjent.")
    expect(final.locator(".badge")).to_have_text("Godkjent")
    last_gate = page.locator("#gates .gate").filter(has_text="Gevinster realisert")
    expect(last_gate.locator("li.met").filter(has_text="Rapport kreves")).to_have_count(1)
    screenshot(page, "funding_04_final_report_approved")
