"""The ``checklist`` kind: each item of the gate's stage must be ticked off."""

from __future__ import annotations

from tests.unit.requirements.kit import definition_with, facts, problems_with
from workflow.requirements import checklist


def test_an_item_not_on_the_stage_checklist_is_a_load_problem():
    assert problems_with({"checklist": ["told", "sung"]}) == [
        "kit.yaml: gates[0].requires.checklist[1]: unknown checklist item 'sung' in stage 'idea'"
    ]


def test_an_item_is_met_once_ticked_off():
    d = definition_with({"checklist": ["told"]})

    (open_,) = checklist.evaluate(d, d.gates[0], facts())
    (done,) = checklist.evaluate(d, d.gates[0], facts(done=frozenset({"told"})))

    assert (open_.met, open_.code, open_.reason) == (
        False,
        "item_open",
        "checklist item 'told' is not done",
    )
    assert (done.met, done.code) == (True, "item_done")
