"""Both languages: every page renders in bokmål and English; the catalogue is complete."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from babel.messages.pofile import read_po

import workflow
from tests.webtools import TRANSLATIONS
from webapp.templating import render_markdown, when

# (path, role, a heading in bokmål, the same in English)
PAGES = [
    ("/projects/mine", "owner", "Mine prosjekter", "My projects"),
    ("/projects/new", "owner", "Ny idé: velg samarbeidsform", "New idea: choose the form"),
    ("/projects/new/lab", "owner", "Om idéen", "About the idea"),
    ("/projects/{pid}", "owner", "Tidslinje", "Timeline"),
    ("/projects/{pid}/edit", "owner", "Rediger prosjektet", "Edit the project"),
    ("/gates", "kommune", "Beslutningskø", "Gate queue"),
    ("/projects/{pid}/review", "kommune", "Din beslutning", "Your decision"),
    ("/portfolio", "coordinator", "Trakt etter samarbeidsform", "Funnel by collaboration form"),
    ("/definitions", "owner", "Samarbeidsformer", "Collaboration forms"),
    ("/definitions/lab", "owner", "Vurderingsskjema", "Scorecard"),
    ("/no/such/page", "owner", "Fant ikke siden", "Page not found"),
]


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(("path", "role", "nb", "en"), PAGES)
def test_every_page_renders_in_both_languages(
    request, wf, login, submitted_project, path, role, nb, en, language
):
    user = request.getfixturevalue(role)
    workflow.set_language(wf, user, language)

    body = login(user).text(path.format(pid=submitted_project))

    assert f'<html lang="{language}">' in body
    assert (nb if language == "nb" else en) in body
    assert (en if language == "nb" else nb) not in body


def test_the_login_page_renders_in_english_after_a_switch(browser):
    browser.get("/login")
    browser.post("/language", {"language": "en"})

    assert "Log in to Samspill" in browser.text("/login")


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_the_catalogue_is_complete(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=locale)

    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    empty = [m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)]
    assert fuzzy == []
    if locale == "nb":
        assert empty == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "28. nov. 2026 kl. 14:05"), ("en", "28 Nov 2026, 14:05")],
)
def test_dates_show_in_oslo_time_in_the_page_language(app, language, expected):
    moment = datetime(2026, 11, 28, 13, 5, tzinfo=UTC)

    with app.test_request_context():
        from flask import session

        session["language"] = language
        assert when(moment) == expected


def test_guidance_markdown_is_rendered_and_sanitised():
    html = render_markdown(
        "**Viktig** [lenke](javascript:alert(1)) <script>alert(1)</script>"
        '<img src=x onerror="alert(1)">'
    )

    assert "<strong>Viktig</strong>" in html
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
