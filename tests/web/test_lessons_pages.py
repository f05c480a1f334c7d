"""The lesson section of the project page, "others tried this" on the new-idea form, the
search page and the lessons list (bokmål, no JavaScript)."""

from __future__ import annotations

import workflow


def kill(wf, owner, kommune, pid: int) -> None:
    workflow.submit_project(wf, owner, pid)
    workflow.decide_gate(wf, kommune, pid, decision="kill", comment="Nei")


def test_a_killed_projects_lesson_is_written_found_and_shown_to_a_new_owner(
    login, wf, owner, other_owner, kommune, ready_project
):
    kill(wf, owner, kommune, ready_project)
    browser = login(owner)
    page = browser.text(f"/projects/{ready_project}")
    assert "Hva lærte dere?" in page
    assert "Skriv ned erfaringene" in page
    saved = browser.post(
        f"/projects/{ready_project}/lesson",
        {
            "version": str(workflow.get_lesson(wf, ready_project)["version"]),
            "worked": "Hjemmeoppfølging med <b>sensorer</b> ga færre innleggelser",
            "did_not_work": "Anskaffelsene tok et år",
            "advice": "",
            "tags": "velferd, anskaffelse",
        },
        follow_redirects=True,
    )
    text = saved.get_data(as_text=True)
    assert "Erfaringene er lagret." in text, text
    assert "&lt;b&gt;sensorer&lt;/b&gt;" in text

    other = login(other_owner)
    assert "Lagre erfaringene" not in other.text(f"/projects/{ready_project}")
    hits = other.text("/search?q=ANSKAFFELSER")
    assert "<mark>Anskaffelsene</mark>" in hits
    assert "1 treff" in hits
    assert "<b>sensorer" not in other.text("/search?q=sensorer")
    assert other.get("/search?q=" + "x" * 201).status_code == 400
    lessons = other.text("/lessons?definition=lab")
    assert "Digital hjemmeoppfølging" in lessons
    assert "Ingen erfaringer ennå." in other.text("/lessons?definition=ipo")

    other.get("/projects/new/lab")
    similar = other.post(
        "/projects/new/lab",
        {"title": "Sensorer i hjemmeoppfølging", "summary": "Færre innleggelser", "similar": "1"},
    )
    body = similar.get_data(as_text=True)
    assert similar.status_code == 200
    assert "Andre har prøvd dette" in body
    assert "Digital hjemmeoppfølging" in body
    assert "Anskaffelsene tok et år" in body
    assert 'value="Sensorer i hjemmeoppfølging"' in body  # the typed values are kept
    assert workflow.list_projects(wf).total == 1  # nothing was registered
