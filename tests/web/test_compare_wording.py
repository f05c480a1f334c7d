"""The comparisons of issue #16 in words, bokmål and English: a condition that does not
apply says why, ``value: today`` shows the day, the stage round is named, and the
definitions page lists them."""

from __future__ import annotations

from datetime import date

import pytest
from flask import session

from webapp.i18n import describe_requirement, gate_requirements
from workflow.definitions import parse_definition
from workflow.requirements.base import ProjectFacts
from workflow.requirements.evaluate import evaluate

DAY = date(2026, 11, 2)


def worded(app, wf, language, key, gate, fields, stage, **facts):
    spec = wf.catalog.get(key)
    given = ProjectFacts(fields, frozenset(), today=DAY, **facts)
    found = [c.as_dict() for c in evaluate(spec, spec.gate(gate), given) if c.kind == "compare"]
    with app.test_request_context():
        session["language"] = language
        return [describe_requirement(c, spec, stage) for c in found]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "nb",
            "Minst tre leverandører til forhandling når antallet er begrenset – gjelder ikke så "
            "lenge Antallet deltakere er begrenset ikke er krysset av",
        ),
        (
            "en",
            "At least three tenderers in negotiation when the number is capped – does not apply "
            "while The number of participants is capped is not ticked",
        ),
    ],
)
def test_a_condition_that_does_not_apply_says_why(app, wf, language, words):
    assert worded(
        app, wf, language, "innovation_partnership", "prequalified", {}, "prequalification"
    ) == [words]


def test_an_unlabelled_comparison_with_today_and_the_round_is_worded(app):
    spec = parse_definition(_LAB_WITH_TODAY, "lab.yaml")
    given = ProjectFacts({"end": "2026-10-01", "phases": 2}, frozenset(), today=DAY, stage_round=2)
    found = [c.as_dict() for c in evaluate(spec, spec.gates[0], given)]
    with app.test_request_context():
        session["language"] = "nb"
        nb = [describe_requirement(c, spec, "idea") for c in found]
        listed = gate_requirements(spec, spec.gates[0])
    with app.test_request_context():
        session["language"] = "en"
        en = [describe_requirement(c, spec, "idea") for c in found]

    assert nb == ["Vilkår: Slutt >= i dag (2026-11-02)", "Vilkår: runde i denne fasen < Faser"]
    assert en == [
        "Condition: End >= today (2026-11-02)",
        "Condition: round of this stage < Phases",
    ]
    assert listed == ["Slutt >= i dag", "runde i denne fasen < Faser"]


_LAB_WITH_TODAY = """
key: lab
version: 9
title: {nb: Lab, en: Lab}
description: {nb: Til tester., en: For tests.}
fields:
  - {key: end, type: date, label: {nb: Slutt, en: End}}
  - {key: phases, type: integer, label: {nb: Faser, en: Phases}}
stages:
  - {key: idea, title: {nb: Idé, en: Idea}, sla_days: 5, guidance: {nb: Gjør., en: Do.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - key: review
    from: idea
    to: done
    title: {nb: Vurdering, en: Review}
    requires:
      compare:
        - {field: end, op: ">=", value: today}
        - {field: stage_round, op: "<", other: phases}
"""
