"""Controls that must work as they look (issue #15, item 7).

The checklist's box is itself the control and works without JavaScript, landing back on the
item; a scorecard's radio sits beside its number; the stage map's labels stay readable at
desktop size.
"""

from __future__ import annotations

import pytest
from flask import render_template_string

import workflow
from tests.browser.conftest import log_in
from webapp import create_app
from webapp.gates.forms import decision_form

pytestmark = pytest.mark.browser

#: the smallest text on a stage map, in CSS pixels as drawn
SMALLEST_LABEL = """() => [...document.querySelectorAll('svg.workflow-diagram')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Math.min(...[...svg.querySelectorAll('text')]
    .map(t => parseFloat(t.getAttribute('font-size')) * scale));
})"""


@pytest.fixture(scope="module")
def idea(site) -> int:
    """A new IPO idea of the site's owner, nothing ticked."""
    return workflow.create_project(
        site.wf,
        site.users["owner"],
        definition="ipo",
        title="Sjekkliste uten JavaScript",
        summary="Boksen er knappen.",
        thematic_area="helse_velferd",
    )


def test_the_checklist_box_is_the_control_and_works_without_javascript(chromium, site, idea):
    context = chromium.new_context(
        base_url=site.url, viewport={"width": 1280, "height": 700}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, site.users["owner"])
        page.goto(f"/projects/{idea}")
        first = site.wf.catalog.get("ipo").first_stage.checklist[0]
        box = page.get_by_role("checkbox", name=first.label.get("nb"))
        assert box.get_attribute("aria-checked") == "false"

        box.click()
        page.wait_for_load_state()

        assert page.url.endswith(f"/projects/{idea}#check-{first.key}")
        box = page.get_by_role("checkbox", name=first.label.get("nb"))
        assert box.get_attribute("aria-checked") == "true"
        assert workflow.get_project(site.wf, idea).checklist[first.key] is True
        assert box.bounding_box()["y"] < 700  # the page is scrolled to the item
        box.click()
        page.wait_for_load_state()
        assert workflow.get_project(site.wf, idea).checklist[first.key] is False
    finally:
        context.close()


def test_scorecard_radios_sit_beside_their_numbers(new_page, site):
    gate = next(g for d in site.wf.catalog.latest() for g in d.gates if g.scorecard)
    app = create_app({"TESTING": True}, settings=workflow.Settings(), wf=site.wf)
    with app.test_request_context():
        html = render_template_string(
            '{% from "macros.html" import field with context %}'
            '<form class="card form decision-form">'
            '{% for key in form.criteria %}{{ field(form["scores_" ~ key]) }}{% endfor %}</form>',
            form=decision_form(gate, 1),
        )
    page = new_page()
    page.goto("/login")  # the site's stylesheet, on the site's origin
    page.set_content(
        f'<html><head><link rel="stylesheet" href="{site.url}/static/samspill.css"></head>'
        f"<body>{html}</body></html>"
    )
    page.wait_for_load_state()

    offsets = page.evaluate("""() => [...document.querySelectorAll('label.radio')].map(l => {
        const box = l.querySelector('input').getBoundingClientRect();
        const number = l.querySelector('span').getBoundingClientRect();
        return [Math.abs((box.top + box.bottom) / 2 - (number.top + number.bottom) / 2),
                number.left - box.right];
    })""")

    assert offsets, "no scorecard radios rendered"
    for vertical, gap in offsets:
        assert vertical <= 2  # centred on the same line
        assert 0 <= gap <= 16  # right beside it


@pytest.mark.parametrize("key", ["ipo", "mdi", "innovation_partnership", "living_lab"])
def test_stage_map_labels_are_readable_at_desktop_size(new_page, site, idea, key):
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, site.users["owner"])
    page.goto(f"/definitions/{key}")
    sizes = page.evaluate(SMALLEST_LABEL)
    page.goto(f"/projects/{idea}")
    sizes += page.evaluate(SMALLEST_LABEL)

    assert sizes
    assert min(sizes) >= 12, sizes
