"""Sessions end on the server: a cookie saved before logout no longer signs anyone in, the
CSRF token changes at login, and no signed-in page or API answer may be cached.
"""

from __future__ import annotations

import workflow
from tests.webtools import Browser, csrf_token


def saved_cookie(browser: Browser) -> str:
    cookie = browser.client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie: str) -> Browser:
    """A new browser (an attacker's) sending a cookie copied from another one."""
    thief = Browser(app.test_client())
    thief.client.set_cookie("session", cookie)
    return thief


def test_a_cookie_saved_before_logout_does_not_work_after_it(app, wf, login, owner, ready_project):
    browser = login(owner)
    page = browser.text("/projects/mine")
    cookie, token = saved_cookie(browser), csrf_token(page)
    assert replay(app, cookie).get("/projects/mine").status_code == 200  # it did work

    browser.post("/logout")

    thief = replay(app, cookie)
    assert thief.get("/projects/mine").status_code == 302
    tick = thief.client.post(
        f"/projects/{ready_project}/checklist/need_described",
        data={"csrf_token": token, "done": "0"},
    )
    assert tick.status_code in (302, 400)
    assert workflow.get_project(wf, ready_project).checklist["need_described"] is True


def test_logging_out_ends_the_users_other_sessions_too(login, owner):
    laptop, phone = login(owner), login(owner)

    laptop.post("/logout")

    assert phone.get("/projects/mine").status_code == 302


def test_logging_in_again_after_logout_gives_a_working_session(login, owner):
    login(owner).post("/logout")

    again = login(owner)

    assert again.get("/projects/mine").status_code == 200


def test_the_csrf_token_changes_at_login(browser, owner):
    before = csrf_token(browser.text("/login"))

    browser.login(owner)
    after = csrf_token(browser.text("/projects/mine"))

    assert after != before
    refused = browser.client.post("/logout", data={"csrf_token": before})
    assert refused.status_code == 400
    assert browser.get("/projects/mine").status_code == 200  # still logged in


def test_signed_in_pages_are_not_stored_by_any_cache(login, owner, ready_project):
    browser = login(owner)

    for url in ("/projects/mine", f"/projects/{ready_project}", "/definitions"):
        assert browser.get(url).headers["Cache-Control"] == "no-store", url


def test_static_files_may_still_be_cached_when_signed_in(login, owner):
    browser = login(owner)
    page = browser.text("/projects/mine")
    css = page.split('href="/static/', 1)[1].split('"', 1)[0]

    response = browser.get(f"/static/{css}")
    response.close()

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_api_answers_are_not_stored_by_any_cache(api, owner, ready_project):
    signed = api.as_(owner)

    for response in (
        signed.get("/api/v1/projects"),
        signed.get(f"/api/v1/projects/{ready_project}"),
        api.get("/api/v1/projects"),  # the 401 too
    ):
        assert response.headers["Cache-Control"] == "no-store"
