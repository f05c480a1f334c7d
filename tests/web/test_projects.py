"""The owner's pages: a new idea, the project page, editing, checklist, partners, submitting."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

import workflow


def test_my_projects_lists_only_my_own(login, wf, owner, stranger, new_project):
    workflow.create_project(wf, stranger, definition="lab", title="Someone else's")

    body = login(owner).text("/projects/mine")

    assert "Ny lab-idé" in body
    assert "Someone else" not in body


def test_the_new_idea_page_explains_each_collaboration_form(login, owner):
    body = login(owner).text("/projects/new")

    assert "Medarbeiderdrevet innovasjon" in body
    assert "For ansatte som har en idé" in body  # mdi's description
    assert 'href="/projects/new/ipo"' in body


def test_a_new_idea_form_has_an_input_per_definition_field(login, owner):
    body = login(owner).text("/projects/new/lab")

    assert 'id="field_need"' in body
    assert "<textarea" in body
    assert 'type="date"' in body
    assert 'id="field_deadline"' in body
    assert 'type="checkbox"' in body
    assert 'id="field_approved"' in body
    assert '<select id="field_area"' in body
    assert ">Nord</option>" in body
    assert 'inputmode="decimal"' in body


def test_registering_an_idea_opens_its_project_page(login, wf, owner):
    browser = login(owner)
    browser.get("/projects/new/lab")

    response = browser.post(
        "/projects/new/lab",
        {"title": "Smart brøyting", "field_need": "Glatte fortau", "field_budget": "1 500 000,50"},
    )

    pid = int(response.location.rsplit("/", 1)[1])
    project = workflow.get_project(wf, pid).project
    assert project["fields"] == {"need": "Glatte fortau", "budget": 1500000.5}
    assert "Idéen din er meldt inn" in browser.text(response.location)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Gi prosjektet en tittel."),
        ({"title": "x" * 201}, "title", "Kan ha høyst 200 tegn."),
        ({"field_budget": "mange penger"}, "field_budget", "Må være et beløp i kroner"),
        ({"field_deadline": "2026-13-45"}, "field_deadline", "Må være en dato, f.eks. 2027-03-01."),
        ({"field_area": "west"}, "field_area", "Ikke et gyldig valg"),
    ],
)
def test_a_wrong_value_is_named_on_its_field(login, owner, data, field, message):
    browser = login(owner)
    browser.get("/projects/new/lab")

    response = browser.post("/projects/new/lab", {"title": "Idé", **data})

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in body
    assert 'aria-invalid="true"' in body
    error = re.search(rf'id="{field}-error">([^<]*)<', body)
    assert error
    assert message in error.group(1)


def test_the_project_page_shows_stage_map_guidance_checklist_gate_and_timeline(
    login, owner, new_project
):
    body = login(owner).text(f"/projects/{new_project}")

    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body
    assert 'class="stage current" data-stage="idea"' in body
    assert "Beskriv <strong>behovet</strong>." in body  # Markdown, rendered
    assert "Behov beskrevet" in body
    assert "Idévurdering" in body
    assert "«Behov» er fylt ut" in body
    assert "Partnere av typen Forskning: minst 1 (har 0)" in body
    assert "opprettet prosjektet" in body
    assert re.search(r"\d{1,2}\. \w+\.? \d{4} kl\. \d\d:\d\d", body)  # a Norwegian date


def test_ticking_a_checklist_item_shows_on_the_page_and_timeline(login, wf, owner, new_project):
    browser = login(owner)
    browser.get(f"/projects/{new_project}")

    response = browser.post(f"/projects/{new_project}/checklist/need_described", {"done": "1"})

    assert response.status_code == 303
    assert workflow.get_project(wf, new_project).checklist == {"need_described": True}
    assert "krysset av «Behov beskrevet»" in browser.text(f"/projects/{new_project}")


def test_an_unknown_checklist_item_is_a_404(login, owner, new_project):
    browser = login(owner)

    response = browser.post(f"/projects/{new_project}/checklist/nope", {"done": "1"})

    assert response.status_code == 404


def test_partners_can_be_added_and_removed(login, wf, owner, new_project, research_org):
    browser = login(owner)
    browser.get(f"/projects/{new_project}")

    browser.post(
        f"/projects/{new_project}/partners", {"organisation_id": research_org, "role": "FoU"}
    )
    partner = workflow.get_project(wf, new_project).partners[0]
    body = browser.text(f"/projects/{new_project}")
    browser.post(f"/projects/{new_project}/partners/{partner['id']}/remove")

    assert "NTNU Institutt for datateknologi" in body
    assert "Partneren er lagt til." in body
    assert workflow.get_project(wf, new_project).partners == []


@contextmanager
def counted_statements(wf: workflow.Workflow) -> Iterator[list[str]]:
    """The SQL statements the engine sends while the block runs."""
    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(wf.db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(wf.db.engine, "before_cursor_execute", count)


def test_the_project_page_costs_the_same_queries_however_many_organisations(
    login, wf, owner, new_project
):
    browser = login(owner)
    browser.text("/tasks")  # the menu's task count is then cached for a minute
    counts = []
    added = 0
    for total in (150, 350):
        for n in range(added, total):
            workflow.add_organisation(wf, None, name=f"Organisasjon {n:03}", type="business")
        added = total
        workflow.refresh_suggestions(wf)  # the suggestion index is built once, not per page
        with counted_statements(wf) as sent:
            body = browser.text(f"/projects/{new_project}")
        assert len(re.findall(r'<option value="\d+">Organisasjon \d{3} ', body)) == total
        counts.append(len(sent))

    # 10 today: user, project, partners, current application, events, organisations, the
    # applications and their calls, suggestions (allowed and the owner's organisations);
    # the project room adds 4: its head (thread size), a page of the thread, questions,
    # follow-ups; then the sent-back feedback, the lesson, the benefit plan and attachments
    assert counts[0] == counts[1] <= 19, counts


def test_adding_the_same_partner_twice_explains_why_not(login, owner, new_project, research_org):
    browser = login(owner)
    browser.post(f"/projects/{new_project}/partners", {"organisation_id": research_org})

    response = browser.post(
        f"/projects/{new_project}/partners",
        {"organisation_id": research_org, "role": "I en annen rolle"},
        follow_redirects=True,
    )

    assert "allerede partner i prosjektet" in response.get_data(as_text=True)


def test_choosing_no_organisation_is_explained(login, owner, new_project):
    browser = login(owner)

    response = browser.post(
        f"/projects/{new_project}/partners", {"organisation_id": "0"}, follow_redirects=True
    )

    assert "Velg en organisasjon." in response.get_data(as_text=True)


def test_editing_saves_the_definition_fields(login, wf, owner, new_project):
    browser = login(owner)
    page = browser.text(f"/projects/{new_project}/edit")
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)

    response = browser.post(
        f"/projects/{new_project}/edit",
        {"version": version, "title": "Ny tittel", "field_approved": "y", "field_area": "north"},
    )

    assert response.location == f"/projects/{new_project}"
    project = workflow.get_project(wf, new_project).project
    assert project["title"] == "Ny tittel"
    assert project["fields"] == {"approved": True, "area": "north"}


def test_editing_an_old_version_tells_the_user_to_try_again(login, wf, owner, new_project):
    browser = login(owner)
    browser.get(f"/projects/{new_project}/edit")
    workflow.update_project(wf, owner, new_project, title="Changed meanwhile")

    response = browser.post(
        f"/projects/{new_project}/edit", {"version": "1", "title": "Mine"}, follow_redirects=True
    )

    assert "Noen lagret prosjektet mens du redigerte" in response.get_data(as_text=True)


def test_submitting_before_the_requirements_are_met_says_what_is_missing(login, owner, new_project):
    browser = login(owner)
    body = browser.text(f"/projects/{new_project}")

    response = browser.post(
        f"/projects/{new_project}/submit", {"gate": "idea_review"}, follow_redirects=True
    )

    assert "Send til «Idévurdering»" not in body  # no button until every requirement holds
    assert "Ikke alle kravene til beslutningspunktet er oppfylt" in response.get_data(as_text=True)


def test_submitting_a_ready_project_puts_it_in_review(login, wf, owner, ready_project):
    browser = login(owner)
    assert "Send til «Idévurdering»" in browser.text(f"/projects/{ready_project}")

    response = browser.post(
        f"/projects/{ready_project}/submit", {"gate": "idea_review"}, follow_redirects=True
    )

    body = response.get_data(as_text=True)
    assert workflow.get_project(wf, ready_project).project["status"] == "in_review"
    assert 'class="badge badge-in_review">Til vurdering' in body
    assert "Venter på portvoktrenes beslutning" in body
    assert "Mark as done" not in body
    assert "Marker som gjort" not in body  # frozen


@pytest.mark.parametrize(
    ("decision", "badge", "notice"),
    [
        ("kill", "Stoppet", "Prosjektet er stoppet ved et beslutningspunkt"),
        ("hold", "På vent", "satte prosjektet på vent"),
    ],
)
def test_the_project_page_shows_the_status_badges(
    login, wf, owner, kommune, submitted_project, decision, badge, notice
):
    workflow.decide_gate(wf, kommune, submitted_project, decision=decision, comment="Nei")

    body = login(owner).text(f"/projects/{submitted_project}")

    assert f'class="badge badge-{"killed" if decision == "kill" else "on_hold"}">{badge}' in body
    assert notice in body


def test_a_stalled_project_is_badged(login, wf, owner, new_project):
    later = wf.clock() + __import__("datetime").timedelta(days=30)
    wf.clock = lambda: later

    body = login(owner).text(f"/projects/{new_project}")

    assert 'class="badge badge-stalled">Står stille' in body


@pytest.mark.parametrize(
    "key", ["ipo", "innovative_procurement", "innovation_partnership", "mdi", "living_lab"]
)
def test_every_shipped_definition_has_a_new_idea_form(login, wf, owner, key):
    body = login(owner).text(f"/projects/new/{key}")

    for field in wf.catalog.get(key).fields:
        assert f'id="field_{field.key}"' in body


def test_field_values_show_in_norwegian(login, wf, owner, new_project):
    fields = {"deadline": "2026-10-01", "budget": 1500000, "approved": True, "area": "south"}
    workflow.update_project(wf, owner, new_project, fields=fields)

    body = login(owner).text(f"/projects/{new_project}")

    assert "<dd>1. okt. 2026</dd>" in body
    assert "<dd>1\u00a0500\u00a0000\u00a0kr</dd>" in body  # no-break spaces (Babel)
    assert "<dd>Ja</dd>" in body
    assert "<dd>Sør</dd>" in body


def test_a_completed_project_shows_its_final_stage(
    login, wf, owner, kommune, ntnu, submitted_project
):
    scores = {"relevance": 4, "feasibility": 3}
    for gatekeeper in (kommune, ntnu):
        workflow.decide_gate(wf, gatekeeper, submitted_project, decision="go", scores=scores)
    workflow.update_project(wf, owner, submitted_project, fields={"approved": True})
    workflow.submit_project(wf, owner, submitted_project, gate="finish")
    workflow.decide_gate(wf, kommune, submitted_project, decision="go")

    body = login(owner).text(f"/projects/{submitted_project}")

    assert 'class="badge badge-completed">Fullført' in body
    assert "Prosjektet har passert sitt siste beslutningspunkt" in body
    assert 'aria-current="step">Ferdig' in body


def test_a_stage_with_two_gates_offers_each_on_its_own(
    login, wf, owner, kommune, ntnu, submitted_project
):
    scores = {"relevance": 4, "feasibility": 3}
    for gatekeeper in (kommune, ntnu):
        workflow.decide_gate(wf, gatekeeper, submitted_project, decision="go", scores=scores)
    workflow.set_checklist_item(wf, owner, submitted_project, "milestone_met", True)
    browser = login(owner)

    body = browser.text(f"/projects/{submitted_project}")
    response = browser.post(f"/projects/{submitted_project}/submit", {"gate": "next_phase"})

    assert "Neste beslutningspunkter" in body
    assert "Send til «Neste fase»" in body
    assert "Send til «Avslutning»" not in body  # "approved" is not ticked yet
    assert response.status_code == 303
    assert workflow.get_project(wf, submitted_project).project["pending_gate"] == "next_phase"


def test_the_owner_moves_a_partner_on_and_the_page_shows_since_when(
    login, wf, owner, new_project, research_org
):
    pid = workflow.add_partner(wf, owner, new_project, organisation_id=research_org)
    browser = login(owner)

    response = browser.post(
        f"/projects/{new_project}/partners/{pid}/status",
        {"status": "confirmed"},
        follow_redirects=True,
    )

    page = response.get_data(as_text=True)
    assert workflow.get_project(wf, new_project).partners[0]["status"] == "confirmed"
    assert '<option value="confirmed" selected>Bekreftet</option>' in page
    assert "siden 2. nov. 2026" in page


def test_a_partner_status_the_form_does_not_offer_is_explained(
    login, wf, owner, new_project, research_org
):
    pid = workflow.add_partner(wf, owner, new_project, organisation_id=research_org)

    response = login(owner).post(
        f"/projects/{new_project}/partners/{pid}/status",
        {"status": "married"},
        follow_redirects=True,
    )

    assert workflow.get_project(wf, new_project).partners[0]["status"] == "invited"
    assert "Ikke et gyldig valg" in response.get_data(as_text=True)


def test_another_owner_cannot_move_a_partner(
    login, wf, owner, other_owner, new_project, research_org
):
    pid = workflow.add_partner(wf, owner, new_project, organisation_id=research_org)

    response = login(other_owner).post(
        f"/projects/{new_project}/partners/{pid}/status", {"status": "confirmed"}
    )

    assert response.status_code == 403
    assert workflow.get_project(wf, new_project).partners[0]["status"] == "invited"


# --- issue 15: saving twice, and saving nothing -------------------------------------------


def _version(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_a_save_from_a_stale_tab_keeps_what_was_typed(login, wf, owner, new_project):
    browser = login(owner)
    version = _version(browser.text(f"/projects/{new_project}/edit"))
    workflow.update_project(wf, owner, new_project, title="Endret i en annen fane")

    response = browser.post(
        f"/projects/{new_project}/edit",
        {"version": version, "title": "Min tittel", "summary": "Skrevet med omhu."},
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Min tittel"' in body
    assert "Skrevet med omhu." in body
    assert "Tittel" in body.split("Nå lagret annerledes:")[1].split(".")[0]
    assert workflow.get_project(wf, new_project).project["title"] == "Endret i en annen fane"


def test_saving_the_form_unchanged_records_nothing(login, wf, owner, new_project):
    browser = login(owner)
    page = browser.text(f"/projects/{new_project}/edit")
    before = workflow.get_project(wf, new_project).project["version"]

    response = browser.post(
        f"/projects/{new_project}/edit", {"version": _version(page), "title": "Ny lab-idé"}
    )

    assert response.status_code == 302
    assert workflow.get_project(wf, new_project).project["version"] == before
    kinds = [e["action"] for e in workflow.project_events(wf, new_project)]
    assert "edited" not in kinds


def test_a_negative_amount_is_called_negative_not_malformed(login, owner, new_project):
    browser = login(owner)
    version = _version(browser.text(f"/projects/{new_project}/edit"))

    response = browser.post(
        f"/projects/{new_project}/edit",
        {"version": version, "title": "Ny lab-idé", "field_own_share": "-50 000"},
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kan ikke være negativ" in body or "Må ikke være negativ" in body
    assert "Må være et beløp" not in body


def test_a_too_long_partner_role_names_the_field_and_keeps_the_organisation(
    login, owner, new_project, research_org
):
    browser = login(owner)
    browser.get(f"/projects/{new_project}")

    response = browser.post(
        f"/projects/{new_project}/partners",
        {"organisation_id": str(research_org), "role": "x" * 101},
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Rolle i prosjektet:" in body
    assert f'<option selected value="{research_org}">' in body
    assert 'value="' + "x" * 101 + '"' in body


def test_a_date_that_is_not_one_is_refused_in_our_words(login, owner, new_project):
    browser = login(owner)
    version = _version(browser.text(f"/projects/{new_project}/edit"))

    response = browser.post(
        f"/projects/{new_project}/edit",
        {"version": version, "title": "Ny lab-idé", "field_deadline": "31.02.2027"},
    )

    body = response.get_data(as_text=True)
    assert "Må være en dato, f.eks. 2027-03-01." in body
    assert "Ikke en gyldig datoverdi" not in body
