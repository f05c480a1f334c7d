"""The definitions: every collaboration form, and each one's diagram, stages and gates."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

SHIPPED = ["ipo", "innovative_procurement", "innovation_partnership", "mdi", "living_lab"]


def test_the_list_shows_every_definition_with_its_description(login, owner):
    body = login(owner).text("/definitions")

    for key in [*SHIPPED, "lab"]:
        assert f'href="/definitions/{key}"' in body
    assert "Levende laboratorier" in body or "levende laboratori" in body.lower()


@pytest.mark.parametrize("key", SHIPPED)
def test_each_definition_shows_its_diagram_stages_gates_and_guidance(login, owner, key):
    body = login(owner).text(f"/definitions/{key}")

    assert 'role="img"' in body
    assert f'aria-labelledby="diagram-{key}-title"' in body
    assert "<h2>Faser</h2>" in body
    assert "Beslutningspunkt: " in body
    assert "<p>" in body
    assert "<strong>" in body  # guidance rendered from Markdown


def test_a_gate_scorecard_shows_the_weights(login, owner):
    body = login(owner).text("/definitions/lab")

    assert "Vurderingsskjema (1–5 per kriterium)" in body
    assert '<td>Relevans</td><td class="num">2</td>' in body
    assert "Stemmer som trengs: Kommunen 1, NTNU 1." in body


def test_a_gate_lists_every_kind_of_requirement_in_words(app):
    from webapp.i18n import gate_requirements
    from workflow import parse_definition

    source = (
        (ROOT / "tests" / "data" / "lab.yaml")
        .read_text()
        .replace(
            "partners: {research: 1}",
            "partners: {research: {min: 1, status: confirmed, approved: true}}\n"
            "      application: {status: [granted]}\n      call_rules: true\n"
            "      reports: {final: approved}",
        )
    )
    spec = parse_definition(source, "lab.yaml")

    with app.test_request_context(headers={"Accept-Language": "nb"}):
        phrases = gate_requirements(spec, spec.gate("idea_review"))

    assert phrases == [
        "Behov",
        "1 punkter på sjekklisten",
        "1 × partner av typen Forskning (bekreftet, godkjent forskningsorganisasjon)",
        "Egenandel >= Budsjett",
        "en søknad som er innvilget",
        "søknaden oppfyller utlysningens regler",
        "Sluttrapport godkjent",
    ]


# --- issue 15 items 7, 9: the diagram speaks bokmål and stays readable ----------------------


def test_the_diagram_names_the_recycle_arrow_in_bokmal_and_keeps_its_text_readable(login, owner):
    import re

    body = login(owner).text("/definitions/innovation_partnership")
    svg = body[body.index("<svg") : body.index("</svg>")]

    assert "send tilbake" in svg
    assert "recycle" not in svg
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    smallest = min(int(n) for n in re.findall(r'font-size="(\d+)"', svg))
    # drawn into a 360 px column, the smallest label is still at least 10 px
    assert smallest * min(1.0, 330 / width) >= 10
