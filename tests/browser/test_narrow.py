"""Every page, for every role, on a 360 px phone: no horizontal scroll and no serious axe issue.

One browser session per role visits each page of ``PAGES`` at 360 px, measures
``document.documentElement.scrollWidth <= innerWidth`` and runs the vendored axe-core
(WCAG 2.1 AA: no serious or critical violation). Screenshots land in ``tests/artifacts/``
(``narrow_<role>_<name>.png``) for a human to look at.

New modules add their pages by appending rows to ``PAGES``; ``{placeholders}`` are the ids
of the ``things`` fixture (add to it what a new page needs).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import workflow
from tests.browser.conftest import PASSWORD, describe, log_in, screenshot, serious_violations

pytestmark = pytest.mark.browser

WIDTH = 360

MENU = ("/projects/mine", "/projects/new", "/calls", "/definitions")

# (role, page name, path): the menu pages of each role, plus a project, a review, a call,
# an organisation and a definition page
PAGES: list[tuple[str, str, str]] = [
    *(("owner", f"menu{i}", path) for i, path in enumerate(MENU)),
    ("owner", "new_idea", "/projects/new/ipo"),
    ("owner", "project", "/projects/{review}"),
    ("owner", "project_edit", "/projects/{active}/edit"),
    ("owner", "call", "/calls/{call}"),
    ("owner", "definition", "/definitions/ipo"),
    *(("gatekeeper", f"menu{i}", path) for i, path in enumerate(MENU)),
    ("gatekeeper", "gate_queue", "/gates"),
    ("gatekeeper", "review", "/projects/{review}/review"),
    ("gatekeeper", "project_on_hold", "/projects/{hold}"),
    ("gatekeeper", "resume", "/projects/{hold}/resume"),
    ("gatekeeper", "definition", "/definitions/mdi"),
    *(("coordinator", f"menu{i}", path) for i, path in enumerate(MENU)),
    ("coordinator", "portfolio", "/portfolio"),
    ("coordinator", "organisations", "/organisations"),
    ("coordinator", "organisation", "/organisations/{organisation}"),
    ("coordinator", "call", "/calls/{call}"),
    ("coordinator", "call_form", "/calls/new"),
    ("coordinator", "project", "/projects/{review}"),
    ("coordinator", "review_read_only", "/projects/{review}/review"),
    ("coordinator", "definition", "/definitions/innovation_partnership"),
    *(("admin", f"menu{i}", path) for i, path in enumerate(MENU)),
    ("admin", "portfolio", "/portfolio"),
    ("admin", "organisations", "/organisations"),
    ("admin", "outbox", "/admin/outbox"),
    ("admin", "jobs", "/admin/jobs"),
    ("admin", "project", "/projects/{hold}"),
    ("admin", "definition", "/definitions/living_lab"),
    # the pages added since (issue #15): every role's own, and the shared ones for each role
    *(
        (role, name, path)
        for role in ("owner", "gatekeeper", "coordinator", "admin")
        for name, path in (
            ("search", "/search?q=sensorer"),
            ("lessons", "/lessons"),
            ("tasks", "/tasks"),
            ("open", "/open"),
            ("organisations", "/organisations"),
            ("project_active", "/projects/{active}"),
        )
    ),
    ("owner", "propose_organisation", "/organisations/propose"),
    ("gatekeeper", "substitute", "/settings/substitute"),
    ("coordinator", "call_edit", "/calls/{call}/edit"),
    ("coordinator", "organisation_new", "/organisations/new"),
    ("coordinator", "organisation_edit", "/organisations/{organisation}/edit"),
    ("admin", "users", "/admin/users"),
    ("admin", "user", "/admin/users/{owner_id}"),
    ("admin", "areas", "/admin/areas"),
    ("admin", "area", "/admin/areas/{area}"),
    ("admin", "personal_data", "/admin/personal-data"),
    ("admin", "definitions", "/definitions"),
]

#: the innermost elements reaching past the window's right edge (to say what to fix)
WIDE = """() => {
  const w = window.innerWidth + 0.5;
  const past = e => e.getBoundingClientRect().right > w
    || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'
        && e.getBoundingClientRect().left + e.scrollWidth > w);
  return [...document.querySelectorAll('body *')]
    .filter(e => past(e) && ![...e.children].some(past))
    .slice(0, 4)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '')
      + ' «' + (e.textContent || '').trim().slice(0, 30) + '»');
}"""

#: which of the site's users plays each role
USERS = {"owner": "owner", "gatekeeper": "kommune", "coordinator": "coordinator"}


@pytest.fixture(scope="module")
def things(site) -> dict[str, int]:
    """Projects active, in review and on hold, an organisation, a call and an admin."""
    wf, owner = site.wf, site.users["owner"]
    ids: dict[str, int] = {}
    for name in ("active", "review", "hold"):
        pid = workflow.create_project(
            wf,
            owner,
            definition="ipo",
            title=f"Sensorer i hjemmetjenesten med et langt navn som må brytes ({name})",
            summary="Færre fall og innleggelser.",
            fields={"need": "For mange fall."},
            thematic_area="helse_velferd",
        )
        if name != "active":
            for item in ("need_described", "owner_anchored", "research_need_identified"):
                workflow.set_checklist_item(wf, owner, pid, item, True)
            workflow.submit_project(wf, owner, pid)
        ids[name] = pid
    workflow.decide_gate(wf, site.users["ntnu"], ids["hold"], decision="hold", comment="Vent")
    ids["organisation"] = workflow.list_organisations(wf).items[0]["id"]
    today = date.today()
    ids["call"] = workflow.create_call(
        wf,
        None,
        funder="Norges forskningsråd",
        title={"nb": "Innovasjonsprosjekt i offentlig sektor 2027", "en": "IPO 2027"},
        opens_on=today,
        deadline=datetime.combine(today + timedelta(days=60), datetime.min.time()).replace(
            hour=13, tzinfo=ZoneInfo("Europe/Oslo")
        ),
    )
    email = "adam.admin@trondheim.kommune.no"
    workflow.add_user(wf, email=email, name="Adam Admin", role="admin", password=PASSWORD)
    site.users.setdefault("admin", workflow.get_actor(wf, email=email))
    ids["owner_id"] = owner.id
    areas = workflow.list_thematic_areas(wf)
    if not areas:
        workflow.save_thematic_area(
            wf,
            site.users["admin"],
            "helse_velferd",
            new=True,
            label_nb="Helse og velferd",
            label_en="Health and welfare",
        )
        areas = workflow.list_thematic_areas(wf)
    ids["area"] = areas[0]["key"]
    return ids


@pytest.mark.parametrize("role", ["owner", "gatekeeper", "coordinator", "admin"])
def test_every_page_fits_a_phone_without_serious_accessibility_issues(chromium, site, things, role):
    context = chromium.new_context(
        base_url=site.url,
        viewport={"width": WIDTH, "height": 780},
        locale="nb-NO",
        bypass_csp=True,  # lets the test inject axe-core
    )
    page = context.new_page()
    log_in(page, site.users[USERS.get(role, role)])
    problems = []
    try:
        for who, name, path in PAGES:
            if who != role:
                continue
            page.goto(path.format(**things))
            assert page.locator(".error-page").count() == 0, f"{path} is an error page"
            screenshot(page, f"narrow_{role}_{name}")
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > inner:
                culprits = page.evaluate(WIDE)
                problems.append(f"{path}: {scroll} px wide in a {inner} px window: {culprits}")
            violations = serious_violations(page)
            if violations:
                problems.append(f"{path}: {describe(violations)}")
    finally:
        context.close()

    assert problems == [], "\n".join(problems)
