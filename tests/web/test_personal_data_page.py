"""The admin's *Personopplysninger* page (issue #17): export as a JSON download, erase after a
confirmation step; an unknown email is named, never a 500."""

from __future__ import annotations

import json

import workflow


def test_an_admin_downloads_a_persons_data_then_erases_them(login, wf, admin, owner):
    browser = login(admin)
    page = browser.text("/admin/personal-data")
    assert "Personopplysninger" in page
    exported = browser.post("/admin/personal-data", {"email": owner.email, "action": "export"})
    assert exported.status_code == 200
    assert exported.headers["Cache-Control"] == "no-store"
    assert "attachment" in exported.headers["Content-Disposition"]
    data = json.loads(exported.get_data(as_text=True))
    assert data["sections"]["account"][0]["name"] == owner.name

    asked = browser.post("/admin/personal-data", {"email": owner.email, "action": "erase"})
    assert "Ja, slett personen" in asked.get_data(as_text=True)
    assert workflow.get_actor(wf, email=owner.email) is not None  # nothing erased yet
    done = browser.post("/admin/personal-data/erase", {"email": owner.email}, follow_redirects=True)
    assert "Personen er slettet" in done.get_data(as_text=True)
    assert f"erased-{owner.id}@invalid" in done.get_data(as_text=True)
    gone = browser.post("/admin/personal-data", {"email": owner.email, "action": "export"})
    assert gone.status_code == 404
    assert "Ingen er registrert med den e-postadressen." in gone.get_data(as_text=True)


def test_a_missing_or_unconfirmed_email_is_refused(login, admin):
    browser = login(admin)
    browser.get("/admin/personal-data")
    assert (
        browser.post("/admin/personal-data", {"email": "", "action": "export"}).status_code == 400
    )
    refused = browser.post("/admin/personal-data/erase", {}, follow_redirects=True)
    assert "Slettingen ble ikke bekreftet." in refused.get_data(as_text=True)
