"""The gate queue page: waited against the time limit, sortable, filterable, the votes so
far (issue #15, item 14)."""

from __future__ import annotations

import re
from datetime import timedelta

import workflow
from tests.conftest import EPOCH, GO


def test_the_queue_shows_how_long_a_project_waited_against_its_limit(
    login, wf, ntnu, submitted_project
):
    wf.clock = lambda: EPOCH + timedelta(days=12, hours=1)

    body = login(ntnu).text("/gates")

    row = re.search(r'<tr class="overdue">.*?</tr>', body, re.S)
    assert row, "the overdue project is not marked"
    assert "12 dager" in row.group(0), row.group(0)
    assert "av 10" in row.group(0)
    assert "over tiden" in row.group(0)


def test_the_queue_shows_the_votes_cast_so_far_per_group(
    login, wf, kommune, ntnu, submitted_project
):
    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)

    body = login(ntnu).text("/gates")

    assert "Kommunen: Godkjenn" in body or re.search(r"Kommune\w*: Godkjenn\w*.{0,20}1", body)


def test_the_queue_sorts_by_title_and_keeps_the_filters(login, wf, owner, ntnu, research_org):
    for title in ("Cecilie", "Anna"):
        pid = workflow.create_project(
            wf,
            owner,
            definition="lab",
            title=title,
            fields={"need": "Behov", "budget": 1000, "own_share": 600},
        )
        workflow.set_checklist_item(wf, owner, pid, "need_described", True)
        workflow.add_partner(wf, owner, pid, organisation_id=research_org, role="FoU")
        workflow.submit_project(wf, owner, pid)
    browser = login(ntnu)

    waited = browser.text("/gates")
    by_title = browser.text("/gates?order=title&definition=lab")

    assert waited.index("Cecilie") < waited.index("Anna")
    assert by_title.index("Anna") < by_title.index("Cecilie")
    assert 'aria-sort="ascending"' in by_title
    assert 'href="/gates?order=waited&amp;area=&amp;definition=lab"' in by_title


def test_an_unknown_filter_or_order_is_named_not_ignored(login, ntnu, submitted_project):
    response = login(ntnu).get("/gates?order=owner&definition=nope")

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "er ikke brukt" in body or "not applied" in body
    assert "Sorter etter" in body or "Sort by" in body
    assert "Digital hjemmeoppfølging" in body  # the queue itself, unfiltered
