"""Governance settings: a gate's kill quorum and decision point label."""

from __future__ import annotations

import pytest

import workflow
from workflow import ConcurrentUpdate

BOARD = """
key: board
version: 1
title: {nb: Styre, en: Board}
description: {nb: "Til tester.", en: "For tests."}
stages:
  - {key: idea, title: {nb: Idé, en: Idea}, sla_days: 10, guidance: {nb: Idé., en: Idea.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - key: review
    from: idea
    to: done
    title: {nb: Vurdering, en: Review}
    decision_point: {nb: BP2, en: DP2}
    quorum: {kommune: 1, ntnu: 1}
    kill_quorum: {kommune: 1, ntnu: 1}
"""


@pytest.fixture
def board_project(wf, tmp_path, owner):
    """A project of the 'board' definition, in review at a gate with a kill quorum."""
    path = tmp_path / "board.yaml"
    path.write_text(BOARD, encoding="utf-8")
    with wf.db.write() as conn:
        workflow.store.catalog.register_definitions(
            conn, workflow.load_definitions([path]), now=wf.clock()
        )
    wf.reload_definitions()
    pid = workflow.create_project(wf, owner, definition="board", title="Styresak")
    workflow.submit_project(wf, owner, pid, gate="review")
    return pid


def test_one_kill_vote_at_a_gate_with_a_kill_quorum_is_pending(wf, kommune, board_project):
    result = workflow.decide_gate(wf, kommune, board_project, decision="kill", comment="Nei")

    assert not result.decided
    assert result.status == "in_review"
    with pytest.raises(ConcurrentUpdate, match="already voted"):
        workflow.decide_gate(wf, kommune, board_project, decision="kill", comment="Nei!")


def test_a_kill_from_every_group_of_the_kill_quorum_kills(wf, kommune, ntnu, board_project):
    workflow.decide_gate(wf, kommune, board_project, decision="kill", comment="Nei")

    result = workflow.decide_gate(wf, ntnu, board_project, decision="kill", comment="Enig")

    assert result.decided
    assert (result.outcome, result.status) == ("kill", "killed")


def test_a_go_quorum_passes_even_with_a_kill_vote_pending(wf, create_user, kommune, board_project):
    workflow.decide_gate(wf, kommune, board_project, decision="kill", comment="Nei")
    other = create_user("gatekeeper", group="kommune")
    ntnu = create_user("gatekeeper", group="ntnu")

    workflow.decide_gate(wf, other, board_project, decision="go")
    result = workflow.decide_gate(wf, ntnu, board_project, decision="go")

    assert (result.outcome, result.status) == ("go", "completed")


def test_the_decision_point_label_belongs_to_the_gate(wf, board_project):
    gate = wf.catalog.get("board", 1).gate("review")

    assert (gate.decision_point.get("nb"), gate.decision_point.get("en")) == ("BP2", "DP2")
