"""My tasks: the landing page with its count in the menu, and GET /api/v1/me/tasks."""

from __future__ import annotations

import workflow
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)


def test_a_gatekeeper_lands_on_my_tasks_with_the_vote_and_its_sla(
    browser, kommune, submitted_project
):
    response = browser.login(kommune)

    assert response.location == "/tasks"
    body = browser.text("/tasks")
    assert "Mine oppgaver" in body
    assert "Din stemme" in body
    assert "Idévurdering" in body
    assert f'href="/projects/{submitted_project}/review"' in body
    assert "Venter i 0 dager" in body
    assert "Behandlingsfrist 10 dager" in body
    assert '<span class="count-badge">1' in body


def test_a_sent_back_project_shows_the_boards_feedback_to_its_owner(
    login, wf, owner, kommune, submitted_project
):
    workflow.decide_gate(wf, kommune, submitted_project, decision="recycle", comment="Mer data")

    body = login(owner).text("/tasks")

    assert "Sendt tilbake av utvalget" in body
    assert "Mer data" in body
    assert f'href="/projects/{submitted_project}#feedback"' in body


def test_nothing_to_do_says_so(login, coordinator):
    body = login(coordinator).text("/tasks")

    assert "Ingenting venter på deg" in body
    assert "count-badge" not in body


def test_the_api_lists_my_tasks_paginated(api, kommune, submitted_project):
    response = api.as_(kommune).get("/api/v1/me/tasks?per_page=1")

    assert response.status_code == 200, response.json
    assert response.json == {
        "items": [
            {
                "kind": "vote",
                "project_id": submitted_project,
                "title": "Digital hjemmeoppfølging",
                "due_on": "2026-11-12",
                "url": f"/projects/{submitted_project}/review",
            }
        ],
        "total": 1,
        "page": 1,
        "per_page": 1,
    }
    assert api.as_(kommune).get("/api/v1/me/tasks?per_page=0").status_code == 400


def test_the_project_page_shows_the_boards_feedback_at_the_top(
    login, wf, owner, kommune, submitted_project
):
    workflow.decide_gate(wf, kommune, submitted_project, decision="recycle", comment="Mer data")

    body = login(owner).text(f"/projects/{submitted_project}")

    assert body.index('id="feedback"') < body.index('class="stepper"')
    assert "Mer data" in body


def test_the_review_shows_what_changed_since_the_gate_last_decided(
    login, wf, owner, kommune, ntnu, submitted_project
):
    workflow.decide_gate(wf, kommune, submitted_project, decision="recycle", comment="Mer data")
    workflow.update_project(wf, owner, submitted_project, summary="Nå med data")
    workflow.submit_project(wf, owner, submitted_project)

    body = login(ntnu).text(f"/projects/{submitted_project}/review")

    assert "Hva er endret siden forrige vurdering" in body
    assert "Olivia Owner" in body


def test_the_api_names_and_removes_my_substitute(api, kommune, owner):
    as_kommune = api.as_(kommune)
    body = {"user_id": owner.id, "from": "2026-11-02", "to": "2026-11-20"}

    named = as_kommune.put("/api/v1/me/substitute", json=body)

    assert named.status_code == 200, named.json
    assert named.json == {**body, "name": "Olivia Owner", "group": "kommune"}
    backwards = as_kommune.put("/api/v1/me/substitute", json={**body, "to": "2026-11-01"})
    assert backwards.status_code == 422
    assert backwards.json["error"]["field_codes"]["to"]["code"] == "substitute_period_backwards"
    assert as_kommune.put("/api/v1/me/substitute", json={**body, "to": "x"}).status_code == 400
    assert as_kommune.delete("/api/v1/me/substitute").status_code == 204
    assert as_kommune.delete("/api/v1/me/substitute").status_code == 404


def test_a_gatekeeper_names_a_substitute_on_the_settings_page(login, kommune, owner):
    browser = login(kommune)
    browser.get("/settings/substitute")

    response = browser.post(
        "/settings/substitute",
        {"email": owner.email, "starts_on": "2026-11-02", "ends_on": "2026-11-20"},
    )

    assert response.status_code == 302
    body = browser.text("/settings/substitute")
    assert "Olivia Owner er din stedfortreder." in body
    assert "Fjern stedfortrederen" in body
    unknown = browser.post(
        "/settings/substitute",
        {"email": "nobody@example.no", "starts_on": "2026-11-02", "ends_on": "2026-11-20"},
    )
    assert unknown.status_code == 400
    assert "Ingen aktiv bruker har denne e-postadressen." in unknown.get_data(as_text=True)


def test_an_admin_adds_and_ends_a_thematic_area_and_the_form_follows(login, wf, admin, owner):
    browser = login(admin)
    browser.get("/admin/areas")
    added = browser.post(
        "/admin/areas", {"key": "unikom", "label_nb": "Unikom", "label_en": "Unikom"}
    )
    assert added.status_code == 302
    assert 'name="thematic_area"' in login(owner).text("/projects/new/lab")
    assert ">Unikom</option>" in login(owner).text("/projects/new/lab")

    ended = browser.post("/admin/areas/unikom/end", {})

    assert ended.status_code == 302
    assert "gjelder ikke i dag" in browser.text("/admin/areas")
    assert ">Unikom</option>" not in login(owner).text("/projects/new/lab")
    taken = browser.post("/admin/areas", {"key": "unikom", "label_nb": "U", "label_en": "U"})
    assert taken.status_code == 400
    assert "finnes allerede" in taken.get_data(as_text=True)


def test_the_gate_queue_page_filters_by_area(login, wf, admin, kommune, submitted_project):
    workflow.save_thematic_area(wf, admin, "unikom", new=True, label_nb="Unikom", label_en="U")

    browser = login(kommune)

    assert "Digital hjemmeoppfølging" in browser.text("/gates")
    assert "Digital hjemmeoppfølging" not in browser.text("/gates?area=unikom")
    assert "Digital hjemmeoppfølging" in browser.text("/gates?area=nonsense")


def test_a_substitute_sees_the_groups_votes_in_the_gate_queue(
    login, wf, kommune, coordinator, submitted_project
):
    assert login(coordinator).get("/gates").status_code == 403
    today = wf.today()
    workflow.set_substitute(wf, kommune, user_id=coordinator.id, starts_on=today, ends_on=today)

    body = login(coordinator).text("/gates")

    assert "Digital hjemmeoppfølging" in body
    assert f'href="/projects/{submitted_project}/review"' in body
    assert login(coordinator).get(f"/projects/{submitted_project}/review").status_code == 200


def test_the_modules_tasks_reach_my_tasks_a_mention_a_question_and_the_lesson(
    login, wf, owner, kommune, submitted_project
):
    """The providers of the discussion and lessons are on My tasks, each linking to the
    section of the project page where it is done."""
    workflow.add_comment(wf, kommune, submitted_project, body=f"Se dette, @{owner.email}")
    workflow.ask_question(wf, kommune, submitted_project, text="Hvem eier budsjettet?")

    body = login(owner).text("/tasks")

    assert "Du ble nevnt" in body
    assert f'href="/projects/{submitted_project}#comment-' in body
    assert "Portvokterne ber om mer informasjon" in body
    assert f'href="/projects/{submitted_project}#question-' in body

    workflow.decide_gate(wf, kommune, submitted_project, decision="kill", comment="Ikke nå")
    body = login(owner).text("/tasks")
    assert "Skriv ned erfaringene" in body
    assert f'href="/projects/{submitted_project}#lesson"' in body
