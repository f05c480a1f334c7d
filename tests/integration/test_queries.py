"""The read side: lists, the funnel and its remembered counts."""

from __future__ import annotations

import workflow
from workflow import ProjectFilter


def test_the_funnel_counts_per_definition_stage_and_status(wf, owner, submitted_project):
    workflow.create_project(wf, owner, definition="lab", title="Nummer to")

    counts = workflow.funnel(wf)

    assert counts["lab"]["idea"] == {"in_review": 1, "active": 1}


def test_remembered_funnel_counts_follow_every_change(wf, owner, kommune, submitted_project):
    before = workflow.funnel(wf)
    workflow.decide_gate(wf, kommune, submitted_project, decision="hold")

    after = workflow.funnel(wf)

    assert before["lab"]["idea"] == {"in_review": 1}
    assert after["lab"]["idea"] == {"on_hold": 1}


def test_the_list_pages_newest_first_with_a_total(wf, owner):
    ids = [workflow.create_project(wf, owner, definition="lab", title=f"P{i}") for i in range(5)]

    first = workflow.list_projects(wf, page=1, per_page=2)
    last = workflow.list_projects(wf, page=3, per_page=2)

    assert [p["id"] for p in first.items] == ids[::-1][:2]
    assert [p["id"] for p in last.items] == ids[:1]
    assert (first.total, first.pages) == (5, 3)


def test_the_list_filters_by_text_and_status(wf, owner, submitted_project):
    workflow.create_project(wf, owner, definition="lab", title="Sensorer i hjemmet")

    found = workflow.list_projects(wf, ProjectFilter(q="sensor"))
    in_review = workflow.list_projects(wf, ProjectFilter(status="in_review"))

    assert [p["title"] for p in found.items] == ["Sensorer i hjemmet"]
    assert [p["id"] for p in in_review.items] == [submitted_project]
