"""A gate's requirements evaluated against a project's facts, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.requirements.kit import confirmed
from workflow.definitions import parse_definition
from workflow.requirements.evaluate import ProjectFacts, evaluate, unmet

LAB = parse_definition((Path(__file__).resolve().parents[1] / "data" / "lab.yaml").read_text())
IDEA_REVIEW = LAB.gate("idea_review")
READY = ProjectFacts(
    fields={"need": "Færre innleggelser", "budget": 1000, "own_share": 600},
    checklist_done=frozenset({"need_described"}),
    partners=confirmed({"research": 1}),
)


def verdicts(facts: ProjectFacts, gate=IDEA_REVIEW) -> list[tuple[str, str, bool]]:
    return [(c.kind, c.key, c.met) for c in evaluate(LAB, gate, facts)]


def test_a_ready_project_meets_every_requirement_in_file_order():
    assert verdicts(READY) == [
        ("field", "need", True),
        ("checklist", "need_described", True),
        ("partners", "research", True),
        ("compare", "own_share >= budget", True),
    ]
    assert unmet(LAB, IDEA_REVIEW, READY) == []


def test_an_empty_project_misses_every_requirement():
    empty = ProjectFacts(fields={}, checklist_done=frozenset())

    assert [u.key for u in unmet(LAB, IDEA_REVIEW, empty)] == [
        "need",
        "need_described",
        "research",
        "own_share >= budget",
    ]


@pytest.mark.parametrize("need", [None, ""])
def test_an_empty_text_field_is_not_filled_in(need):
    facts = ProjectFacts({**READY.fields, "need": need}, READY.checklist_done, READY.partners)

    assert verdicts(facts)[0] == ("field", "need", False)


def test_a_boolean_field_must_be_ticked():
    finish = LAB.gate("finish")

    assert verdicts(ProjectFacts({"approved": False}, frozenset()), finish) == [
        ("field", "approved", False)
    ]
    assert verdicts(ProjectFacts({"approved": True}, frozenset()), finish) == [
        ("field", "approved", True)
    ]


def test_partners_count_by_organisation_type():
    facts = ProjectFacts(READY.fields, READY.checklist_done, confirmed({"public": 3}))
    partners = evaluate(LAB, IDEA_REVIEW, facts)[2]

    assert (partners.met, partners.params) == (False, {"needed": 1, "present": 0})


@pytest.mark.parametrize(("own_share", "met"), [(499, False), (500, True), (501, True)])
def test_a_comparison_scales_the_other_field_by_its_factor(own_share, met):
    facts = ProjectFacts({**READY.fields, "own_share": own_share}, READY.checklist_done)
    compare = evaluate(LAB, IDEA_REVIEW, facts)[3]

    assert compare.met is met
    assert (compare.params["left"], compare.params["right"]) == (own_share, 500.0)


def test_a_comparison_with_a_missing_operand_is_unmet():
    facts = ProjectFacts({"need": "x", "own_share": 600}, READY.checklist_done)
    compare = evaluate(LAB, IDEA_REVIEW, facts)[3]

    assert compare.met is False
    assert (compare.params["left"], compare.params["right"]) == (600, None)
