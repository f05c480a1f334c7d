"""The project room in a real browser: the owner writes in the discussion and mentions a
gatekeeper (the mail lands in the outbox); the gatekeeper asks for information from the
review (the review pauses), the owner answers on the project page (it resumes); the
gatekeeper approves with a condition, whose follow-up blocks the next gate until the owner
closes it. Screenshots at 1366 and 360 px wide.

The definition (a gate with ``follow_ups_closed``) and the first submission are made
through the engine; the discussion, the question, the answer, the conditional go and the
closing are clicks through the pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

import workflow
from tests.browser.conftest import describe, log_in, screenshot, serious_violations
from workflow.store.tables import outbox, projects

pytestmark = pytest.mark.browser

TITLE = "Trygghetsalarm med sensorer i Fjellby"
ROOM = """
key: room_journey
version: 1
title: {nb: Prosjektrom (test), en: Project room (test)}
description: {nb: Til tester., en: For tests.}
stages:
  - {key: plan, title: {nb: Planlegge, en: Plan}, sla_days: 14, guidance: {nb: Plan., en: Plan.}}
  - {key: run, title: {nb: Gjennomføre, en: Run}, sla_days: 30, guidance: {nb: Gjør., en: Do.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - {key: start, from: plan, to: run, title: {nb: Oppstart, en: Start}, quorum: {kommune: 1}}
  - key: close
    from: run
    to: done
    title: {nb: Avslutning, en: Close}
    quorum: {kommune: 1}
    requires: {follow_ups_closed: true}
"""


def _stale_at(wf, pid: int):
    with wf.db.read() as conn:
        return conn.execute(select(projects.c.stale_at).where(projects.c.id == pid)).scalar_one()


def _narrow(page, name: str) -> None:
    """A screenshot at 1366 px and one at 360 px, and no sideways scrolling at 360."""
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, f"{name}_1366")
    page.set_viewport_size({"width": 360, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 362, f"{name} scrolls sideways at 360 px ({wide} px)"
    screenshot(page, f"{name}_360")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_mention_a_request_for_information_and_a_conditional_go(new_page, site, tmp_path: Path):
    wf = site.wf
    (tmp_path / "room_journey.yaml").write_text(ROOM, encoding="utf-8")
    workflow.initialise(wf, workflow.Settings(definitions=tmp_path))
    owner, board = site.users["owner"], site.users["kommune"]
    pid = workflow.create_project(wf, owner, definition="room_journey", title=TITLE)
    workflow.submit_project(wf, owner, pid)

    # (1) the owner writes in the discussion and mentions the gatekeeper
    page = new_page()
    log_in(page, owner)
    page.goto(f"/projects/{pid}#discussion")
    discussion = page.locator("#discussion")
    discussion.get_by_label("Kommentar").fill(
        f"Vi har **oppdatert** risikovurderingen, @{board.email}.\n\n- sensorer\n- varsling"
    )
    discussion.get_by_role("button", name="Publiser kommentar").click()
    expect(page.locator(".flashes")).to_contain_text("Kommentaren din er publisert.")
    expect(page.locator("#discussion .comment-body strong").first).to_have_text("oppdatert")
    with wf.db.read() as conn:
        mailed = conn.execute(
            select(outbox.c.subject).where(outbox.c.recipient_email == board.email)
        ).scalars()
        assert f"Olivia Eier nevnte deg: {TITLE}" in list(mailed)

    # (2) the gatekeeper asks for information from the review: the review pauses
    gate_page = new_page()
    log_in(gate_page, board)
    gate_page.goto(f"/projects/{pid}/review")
    gate_page.get_by_label("Spørsmål til prosjekteieren").fill("Hvem får varslene om natta?")
    gate_page.get_by_role("button", name="Spør prosjekteieren").click()
    expect(gate_page.locator(".flashes")).to_contain_text("Spørsmålet ditt er sendt")
    expect(gate_page.locator("#questions")).to_contain_text("Venter på svar fra prosjekteieren")
    assert _stale_at(wf, pid) is None
    _narrow(gate_page, "room_01_review_question")

    # (3) the owner answers on the project page: the review resumes
    page.goto(f"/projects/{pid}")
    questions = page.locator("#questions")
    expect(questions).to_contain_text("Portvokterne ber om mer informasjon")
    questions.get_by_label("Ditt svar").fill("Hjemmetjenestens nattpatrulje.")
    questions.get_by_role("button", name="Svar").click()
    expect(page.locator(".flashes")).to_contain_text("Svaret ditt er publisert")
    expect(page.locator("#questions")).to_have_count(0)
    assert _stale_at(wf, pid) is not None

    # (4) a go with a condition for the owner
    gate_page.goto(f"/projects/{pid}/review")
    gate_page.locator("input[name=decision][value=go]").check()
    gate_page.locator("#conditions_0_text").fill("Databehandleravtale med leverandøren")
    gate_page.locator("#conditions_0_responsible_id").fill(owner.email)
    gate_page.locator("#conditions_0_due_on").fill("2027-02-01")
    gate_page.get_by_role("button", name="Registrer beslutningen").click()
    expect(gate_page.locator(".flashes")).to_contain_text("Beslutningen er registrert")

    # (5) the follow-up blocks the next gate until the owner closes it
    page.goto(f"/projects/{pid}")
    expect(page.locator("#follow-ups")).to_contain_text("Databehandleravtale med leverandøren")
    expect(page.locator("#gates .unmet")).to_contain_text("(åpne: 1)")
    expect(page.get_by_role("button", name="Send til «Avslutning»")).to_have_count(0)
    _narrow(page, "room_02_follow_up_open")
    assert serious_violations(page) == [], describe(serious_violations(page))
    page.locator("#follow-ups").get_by_label("Hvordan ble det oppfylt?").fill("Signert 12. januar.")
    page.get_by_role("button", name="Lukk vilkåret").click()
    expect(page.locator(".flashes")).to_contain_text("Vilkåret er lukket.")
    expect(page.locator("#gates .met")).to_contain_text(
        "Alle vilkår fra en tidligere godkjenning er lukket"
    )
    page.get_by_role("button", name="Send til «Avslutning»").click()
    expect(page.locator(".flashes")).to_contain_text("Sendt inn.")
    _narrow(page, "room_03_follow_up_closed")


UPLOAD = """
key: upload_journey
version: 1
title: {nb: Vedlegg (test), en: Attachments (test)}
description: {nb: Til tester., en: For tests.}
project_roles:
  - {key: project_manager, label: {nb: Prosjektleder, en: Project manager}}
attachment_types:
  - {key: project_description, label: {nb: Prosjektbeskrivelse, en: Project description}}
stages:
  - {key: plan, title: {nb: Planlegge, en: Plan}, sla_days: 14, guidance: {nb: Plan., en: Plan.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - key: apply
    from: plan
    to: done
    title: {nb: Søknad, en: Application}
    quorum: {kommune: 1}
    requires: {roles: [project_manager], attachments: [project_description]}
"""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_gate_waits_for_a_role_and_an_upload_and_a_fake_pdf_is_refused(
    new_page, site, tmp_path: Path
):
    wf = site.wf
    (tmp_path / "upload_journey.yaml").write_text(UPLOAD, encoding="utf-8")
    workflow.initialise(wf, workflow.Settings(definitions=tmp_path))
    owner, board = site.users["owner"], site.users["kommune"]
    pid = workflow.create_project(wf, owner, definition="upload_journey", title="Digital søknad")
    submit = "Send til «Søknad»"

    page = new_page()
    log_in(page, owner)
    page.goto(f"/projects/{pid}")
    expect(page.get_by_role("button", name=submit)).to_have_count(0)
    expect(page.locator("#gates .unmet")).to_have_count(2)

    # the project manager, named by email address
    page.locator("#role-project_manager").fill(site.users["coordinator"].email)
    page.get_by_role("button", name="Lagre rollene").click()
    expect(page.locator(".flashes")).to_contain_text("Rollene er lagret.")
    expect(page.locator("#roles")).to_contain_text("Cora Koordinator")

    # a file called .pdf that is not a PDF is refused; the real one is kept
    attachments = page.locator("#attachments")
    attachments.locator("#attachment-file").set_input_files(
        files=[{"name": "beskrivelse.pdf", "mimeType": "application/pdf", "buffer": b"MZ fake"}]
    )
    attachments.get_by_role("button", name="Last opp").click()
    expect(page.locator(".flashes")).to_contain_text("ikke en gyldig .pdf-fil")
    expect(page.locator("#gates .unmet")).to_have_count(1)
    attachments = page.locator("#attachments")
    attachments.locator("#attachment-file").set_input_files(
        files=[{"name": "beskrivelse.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    attachments.get_by_role("button", name="Last opp").click()
    expect(page.locator(".flashes")).to_contain_text("Filen er lastet opp.")
    expect(page.locator("#attachments")).to_contain_text("beskrivelse.pdf")
    expect(page.locator("#gates .unmet")).to_have_count(0)
    _narrow(page, "room_04_upload_met")
    assert serious_violations(page) == [], describe(serious_violations(page))

    page.get_by_role("button", name=submit).click()
    expect(page.locator(".flashes")).to_contain_text("Sendt inn.")

    # the gatekeeper downloads what the board judges: the bytes that were uploaded
    gate_page = new_page()
    log_in(gate_page, board)
    gate_page.goto(f"/projects/{pid}")
    with gate_page.expect_download() as info:
        gate_page.locator("#attachments").get_by_role("link", name="beskrivelse.pdf").click()
    assert Path(info.value.path()).read_bytes() == PDF
