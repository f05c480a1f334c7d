"""Logging in and out, throttling, the session cookie, and the remembered language."""

from __future__ import annotations

import workflow


def test_the_login_page_is_in_bokmal_by_default(browser):
    body = browser.text("/login")

    assert '<html lang="nb">' in body
    assert "Logg inn i Samspill" in body
    assert 'name="csrf_token"' in body


def test_logging_in_goes_to_my_tasks_with_a_welcome(browser, owner):
    response = browser.login(owner)

    assert response.status_code == 302
    assert response.location == "/tasks"
    assert "Velkommen, Olivia Owner." in browser.text("/tasks")


def test_a_wrong_password_says_so_on_the_form(browser, owner):
    response = browser.login(owner, password="not-the-password")

    assert response.status_code == 400
    assert "Feil e-post eller passord." in response.get_data(as_text=True)


def test_an_empty_form_names_each_missing_field(browser):
    browser.get("/login")

    body = browser.post("/login", {"email": "", "password": ""}).get_data(as_text=True)

    assert "Skriv inn e-postadressen din." in body
    assert "Skriv inn passordet ditt." in body
    assert 'aria-invalid="true"' in body


def test_repeated_failures_lock_the_account_with_a_clear_message(browser, owner):
    for _ in range(5):
        response = browser.login(owner, password="wrong-password")

    locked = browser.login(owner)  # even the right password is refused for now

    assert "kontoen er låst" in response.get_data(as_text=True)
    assert locked.status_code == 400
    assert "kontoen er låst" in locked.get_data(as_text=True)


def test_login_returns_to_the_page_asked_for(browser, owner, new_project):
    browser.get(f"/login?next=/projects/{new_project}")

    response = browser.post(
        "/login",
        {"email": owner.email, "password": "password123", "next": f"/projects/{new_project}"},
    )

    assert response.location == f"/projects/{new_project}"


def test_login_never_redirects_to_another_site(browser, owner):
    browser.get("/login")

    response = browser.post(
        "/login", {"email": owner.email, "password": "password123", "next": "https://evil.example/"}
    )

    assert response.location == "/tasks"


def test_the_session_cookie_is_http_only_and_same_site(browser, owner):
    response = browser.login(owner)

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logging_out_ends_the_session(login, owner):
    browser = login(owner)

    response = browser.post("/logout")

    assert response.location == "/login"
    assert browser.get("/projects/mine").status_code == 302


def test_a_user_who_switches_to_english_keeps_it(login, wf, owner):
    browser = login(owner)

    browser.post("/language", {"language": "en", "next": "/definitions"})

    assert workflow.get_actor(wf, user_id=owner.id).language == "en"
    body = browser.text("/projects/mine")
    assert '<html lang="en">' in body
    assert "My projects" in body


def test_an_anonymous_visitor_can_switch_language_for_the_session(browser):
    browser.get("/login")

    response = browser.post("/language", {"language": "en", "next": "/login"})

    assert response.location == "/login"
    assert "Log in to Samspill" in browser.text("/login")


def test_an_unknown_language_is_ignored(browser):
    browser.get("/login")

    browser.post("/language", {"language": "xx"})

    assert '<html lang="nb">' in browser.text("/login")


def test_a_backslash_next_cannot_leave_the_site(browser, owner):
    browser.get("/login")

    response = browser.post(
        "/login", {"email": owner.email, "password": "password123", "next": "/\\evil.example"}
    )

    assert response.location == "/tasks"


def test_pages_carry_security_headers(browser):
    response = browser.get("/login")

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
