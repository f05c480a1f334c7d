"""The gate queue's order, waiting time against the review's time limit, and the votes cast
so far (issue #15, item 14), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

import workflow
from tests.conftest import EPOCH, GO
from workflow import InvalidInput


def _submit(wf, owner, research_org, title: str, definition: str = "lab") -> int:
    pid = workflow.create_project(
        wf,
        owner,
        definition=definition,
        title=title,
        fields={"need": "Behov", "budget": 1000, "own_share": 600},
    )
    workflow.set_checklist_item(wf, owner, pid, "need_described", True)
    workflow.add_partner(wf, owner, pid, organisation_id=research_org, role="FoU")
    workflow.submit_project(wf, owner, pid)
    return pid


@pytest.fixture
def three(wf, owner, research_org) -> list[int]:
    """Three lab projects submitted a day apart: Cecilie first, then Anna, then Berit."""
    ids = []
    for day, title in enumerate(("Cecilie", "anna", "Berit")):
        wf.clock = lambda day=day: EPOCH + timedelta(days=day)
        ids.append(_submit(wf, owner, research_org, title))
    return ids


def test_the_queue_puts_the_longest_wait_first_or_sorts_by_title(wf, ntnu, three):
    waited = workflow.gate_queue(wf, ntnu).items
    by_title = workflow.gate_queue(wf, ntnu, order="title").items

    assert [p["title"] for p in waited] == ["Cecilie", "anna", "Berit"]
    assert [p["title"] for p in by_title] == ["anna", "Berit", "Cecilie"]  # ignoring case


def test_each_item_says_how_long_it_waited_against_the_stage_sla(wf, ntnu, three):
    wf.clock = lambda: EPOCH + timedelta(days=11, hours=1)

    items = {p["title"]: p for p in workflow.gate_queue(wf, ntnu).items}

    spec = wf.catalog.get("lab")
    assert workflow.review_sla(spec, spec.gate("idea_review")) == 10  # the idea stage's
    assert (items["Cecilie"]["waited_days"], items["Cecilie"]["overdue"]) == (11, True)
    assert (items["anna"]["waited_days"], items["anna"]["overdue"]) == (10, False)
    assert items["Berit"]["sla_days"] == 10


def test_each_item_has_the_votes_cast_so_far_per_group(wf, kommune, ntnu, three):
    workflow.decide_gate(wf, kommune, three[0], decision="go", scores=GO)

    items = {p["id"]: p for p in workflow.gate_queue(wf, ntnu).items}

    assert items[three[0]]["votes"] == {"kommune": {"go": 1}}
    assert items[three[1]]["votes"] == {}


def test_an_unknown_order_is_refused_naming_it(wf, ntnu):
    with pytest.raises(InvalidInput) as caught:
        workflow.gate_queue(wf, ntnu, order="owner")

    assert set(caught.value.fields) == {"order"}
