"""Browser fixtures: a live waitress server on a free port and headless Debian Chromium.

The server runs the real app on its own SQLite file, seeded with the shipped definitions,
an owner, a gatekeeper of each board group, a coordinator and two organisations. Without
``/usr/bin/chromium`` the tests skip, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import workflow
from tests.conftest import IN_CI, SHIPPED, make_workflow
from tests.webtools import PASSWORD, compile_catalogues, serving
from webapp import create_app
from workflow import Database
from workflow.store.migrate import upgrade

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Site:
    """The live server and who can log in to it."""

    url: str
    wf: workflow.Workflow
    users: dict[str, workflow.Actor]


def _seed(wf: workflow.Workflow) -> dict[str, workflow.Actor]:
    people = {
        "owner": ("olivia@trondheim.kommune.no", "Olivia Eier", "owner", None),
        "kommune": ("kari@trondheim.kommune.no", "Kari Kommune", "gatekeeper", "kommune"),
        "ntnu": ("nils@ntnu.no", "Nils NTNU", "gatekeeper", "ntnu"),
        "coordinator": ("cora@trondheim.kommune.no", "Cora Koordinator", "coordinator", None),
    }
    for email, name, role, group in people.values():
        workflow.add_user(wf, email=email, name=name, role=role, password=PASSWORD, group=group)
    workflow.add_organisation(wf, None, name="NTNU Institutt for datateknologi", type="research")
    workflow.add_organisation(wf, None, name="Trondheim kommune, Helse og velferd", type="public")
    return {key: workflow.get_actor(wf, email=p[0]) for key, p in people.items()}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app served by waitress in a thread, on a fresh SQLite file."""
    compile_catalogues()
    folder = tmp_path_factory.mktemp("live")
    db = Database.from_url(f"sqlite:///{folder / 'live.db'}")
    upgrade(db.engine)
    wf = make_workflow(db, SHIPPED)
    users = _seed(wf)
    settings = workflow.Settings(uploads=str(folder / "uploads"), max_upload_mb=2)
    app = create_app({"TESTING": True}, settings=settings, wf=wf)
    with serving(app, threads=4) as address:
        yield Site(f"http://{address}", wf, users)
    db.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (skips, or fails in CI, when missing)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (make chromium)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, site: Site):
    """``new_page()`` opens a fresh browser context and page; all are closed at the end."""
    contexts = []

    def make():
        context = chromium.new_context(
            base_url=site.url,
            viewport={"width": 1280, "height": 900},
            locale="nb-NO",
            bypass_csp=True,  # lets the tests inject axe-core; the pages need no inline script
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, user: workflow.Actor) -> None:
    """Log ``user`` in through the login form."""
    page.goto("/login")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot as ``tests/artifacts/<name>.png`` (not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    """A readable list of axe violations for an assertion message."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
    )
