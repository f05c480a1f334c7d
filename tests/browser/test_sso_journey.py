"""Single sign-on in a real browser: "Logg inn med …", the provider's pages, back in, out."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

import workflow
from tests.conftest import make_workflow
from tests.oidc_kit import free_port, run_provider
from tests.webtools import compile_catalogues, serving
from webapp import create_app
from workflow import Database
from workflow.store.migrate import upgrade

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sso_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, workflow.Workflow]]:
    compile_catalogues()
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('sso') / 'sso.db'}")
    upgrade(db.engine)
    wf = make_workflow(db)
    port = free_port()
    settings = workflow.Settings(
        oidc_issuer=f"http://127.0.0.1:{port}",
        oidc_client_id="samspill",
        oidc_client_secret="samspill-test-secret",
        oidc_name="Testleverandør",
        oidc_role_map="groups:innovasjonsutvalg-ntnu=gatekeeper/ntnu",
    )
    app = create_app({"TESTING": True}, settings=settings, wf=wf)
    with serving(app, threads=4) as address:
        url = f"http://{address}"
        app.config["SAMSPILL_SETTINGS"] = dataclasses.replace(settings, base_url=url)
        provider = run_provider(tmp_path_factory, app=url, port=port)
        next(provider)
        try:
            yield url, wf
        finally:
            provider.close()
    db.dispose()


def test_a_gatekeeper_logs_in_with_sso_and_out_again(chromium, sso_site):
    url, wf = sso_site
    context = chromium.new_context(base_url=url, locale="nb-NO")
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_role("link", name="Logg inn med Testleverandør").click()
        page.fill('input[name="login"]', "nils")
        page.fill('input[name="password"]', "x")
        page.click('button[type="submit"]')
        page.click('button[type="submit"]')  # the provider's consent page
        page.wait_for_url(f"{url}/projects/mine")
        assert "Nils Testesen" in page.content()
        assert workflow.get_actor(wf, email="nils@test.example").group == "ntnu"

        page.get_by_role("button", name="Logg ut").click()
        # the provider asks whether to log out there too (RP-initiated logout)
        page.wait_for_url(lambda u: not u.startswith(url), timeout=10_000)
        assert "/session/end" in page.url, page.url
        page.goto(f"{url}/projects/mine")
        assert "/login" in page.url
    finally:
        context.close()
