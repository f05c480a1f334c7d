"""The rules of a vote, without a database: quorum and vote validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.definitions import ANY_GROUP, parse_definition
from workflow.domain.voting import (
    MAX_COMMENT,
    clean_vote,
    conflict_in,
    kill_quorum_met,
    quorum_met,
)
from workflow.errors import InvalidInput

LAB = parse_definition((Path(__file__).resolve().parents[1] / "data" / "lab.yaml").read_text())
IDEA_REVIEW = LAB.gate("idea_review")  # quorum kommune 1 + ntnu 1, pass score 3.0
NEXT_PHASE = LAB.gate("next_phase")  # no scorecard
ANY_TWO = IDEA_REVIEW.model_copy(update={"quorum": {ANY_GROUP: 2}})
TWO_KOMMUNE = IDEA_REVIEW.model_copy(update={"quorum": {"kommune": 2, "ntnu": 1}})
GO = {"relevance": 4, "feasibility": 3}


@pytest.mark.parametrize(
    ("gate", "votes", "met"),
    [
        (IDEA_REVIEW, [], False),
        (IDEA_REVIEW, [(1, "kommune")], False),
        (IDEA_REVIEW, [(1, "kommune"), (2, "kommune")], False),
        (IDEA_REVIEW, [(1, "kommune"), (2, "ntnu")], True),
        (IDEA_REVIEW, [(1, "kommune"), (2, "ntnu"), (3, "other")], True),
        (TWO_KOMMUNE, [(1, "kommune"), (2, "ntnu")], False),
        (TWO_KOMMUNE, [(1, "kommune"), (1, "kommune"), (2, "ntnu")], False),
        (TWO_KOMMUNE, [(1, "kommune"), (3, "kommune"), (2, "ntnu")], True),
        (ANY_TWO, [(1, "kommune")], False),
        (ANY_TWO, [(1, "kommune"), (1, "ntnu")], False),
        (ANY_TWO, [(1, "kommune"), (2, "kommune")], True),
        (ANY_TWO, [(1, None), (2, "ntnu")], True),
    ],
)
def test_the_quorum_counts_distinct_go_voters_per_group(gate, votes, met):
    assert quorum_met(gate, votes) is met


def test_a_go_with_every_score_returns_the_scores_and_their_weighted_mean():
    clean, weighted = clean_vote(IDEA_REVIEW, "go", GO, None)

    assert clean == GO
    assert weighted == pytest.approx((2 * 4 + 1 * 3) / 3)


def test_a_go_at_a_gate_without_a_scorecard_has_no_weighted_score():
    assert clean_vote(NEXT_PHASE, "go", None, "") == ({}, None)


@pytest.mark.parametrize("decision", ["kill", "recycle"])
def test_kill_and_recycle_need_a_comment_for_the_owner(decision):
    with pytest.raises(InvalidInput) as caught:
        clean_vote(IDEA_REVIEW, decision, None, "   ")

    assert set(caught.value.fields) == {"comment"}
    assert clean_vote(IDEA_REVIEW, decision, None, "Ikke forankret") == ({}, None)


def test_a_hold_needs_no_comment_and_no_scores():
    assert clean_vote(IDEA_REVIEW, "hold", None, None) == ({}, None)


@pytest.mark.parametrize(
    ("decision", "scores", "comment", "fields"),
    [
        ("maybe", GO, None, {"decision"}),
        ("go", {"relevance": 4}, None, {"scores.feasibility"}),
        ("go", {**GO, "charm": 5}, None, {"scores.charm"}),
        ("go", {"relevance": 6, "feasibility": 3}, None, {"scores.relevance"}),
        ("go", {"relevance": 0, "feasibility": 3}, None, {"scores.relevance"}),
        ("go", {"relevance": True, "feasibility": 3}, None, {"scores.relevance"}),
        ("go", {"relevance": 4.5, "feasibility": 3}, None, {"scores.relevance"}),
        ("go", [4, 3], None, {"scores", "scores.relevance", "scores.feasibility"}),
        ("hold", None, "x" * (MAX_COMMENT + 1), {"comment"}),
        ("hold", None, 42, {"comment"}),
    ],
)
def test_a_bad_vote_is_refused_naming_each_field(decision, scores, comment, fields):
    with pytest.raises(InvalidInput) as caught:
        clean_vote(IDEA_REVIEW, decision, scores, comment)

    assert set(caught.value.fields) == fields


def test_a_go_below_the_pass_score_is_refused():
    with pytest.raises(InvalidInput) as caught:
        clean_vote(IDEA_REVIEW, "go", {"relevance": 2, "feasibility": 4}, None)

    assert set(caught.value.fields) == {"scores"}
    assert "2.67" in caught.value.fields["scores"].text


def test_a_go_exactly_at_the_pass_score_passes():
    assert clean_vote(IDEA_REVIEW, "go", {"relevance": 3, "feasibility": 3}, None)[1] == 3.0


ALLOWING = IDEA_REVIEW.model_copy(update={"conflict_of_interest": "allow"})
ISM, FACULTY, NTNU = (3, "NTNU ISM"), (2, "NTNU Fakultet"), (1, "NTNU")


def chain(*flags):
    """The ISM gatekeeper's chain, ISM first, with (partner, owner) flags for each level."""
    return [(*org, *f) for org, f in zip((ISM, FACULTY, NTNU), flags, strict=True)]


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ([], None),  # a gatekeeper without an organisation
        (chain((False, False), (False, False), (False, False)), None),
        (chain((True, False), (False, False), (False, False)), ("conflict_of_interest", 3)),
        (chain((False, False), (False, False), (True, False)), ("conflict_of_interest", 1)),
        (chain((False, False), (False, True), (False, False)), ("conflict_of_interest_owner", 2)),
        (chain((False, True), (True, False), (False, False)), ("conflict_of_interest_owner", 3)),
        (chain((True, True), (False, False), (False, False)), ("conflict_of_interest", 3)),
    ],
)
def test_the_nearest_conflicting_organisation_is_named(links, expected):
    problem = conflict_in(IDEA_REVIEW, links)

    assert (None if problem is None else (problem.code, problem.params["organisation"])) == expected


def test_a_gate_that_allows_conflicts_names_none():
    assert conflict_in(ALLOWING, chain((True, True), (True, True), (True, True))) is None


KILL_BOTH = IDEA_REVIEW.model_copy(update={"kill_quorum": {"kommune": 1, "ntnu": 1}})
KILL_ANY_TWO = IDEA_REVIEW.model_copy(update={"kill_quorum": {ANY_GROUP: 2}})


@pytest.mark.parametrize(
    ("gate", "votes", "met"),
    [
        (IDEA_REVIEW, [(1, "kommune")], True),  # no kill_quorum: any one kill decides
        (KILL_BOTH, [(1, "kommune")], False),
        (KILL_BOTH, [(1, "kommune"), (2, "kommune")], False),
        (KILL_BOTH, [(1, "kommune"), (2, "ntnu")], True),
        (KILL_ANY_TWO, [(1, "kommune"), (1, "kommune")], False),
        (KILL_ANY_TWO, [(1, "kommune"), (2, "kommune")], True),
    ],
)
def test_a_kill_needs_the_gates_kill_quorum(gate, votes, met):
    assert kill_quorum_met(gate, votes) is met
