"""The project list costs the same few SQL statements however many projects it shows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

import workflow


@contextmanager
def counting_statements(engine) -> Iterator[list[str]]:
    """Record every SQL statement the engine sends while the block runs."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def add_projects(wf, owner, research_org, count: int) -> None:
    """Projects with a partner and a ticked item each: more rows per project to tempt N+1."""
    for n in range(count):
        pid = workflow.create_project(wf, owner, definition="lab", title=f"Prosjekt {n}")
        workflow.add_partner(wf, owner, pid, organisation_id=research_org, role="FoU")
        workflow.set_checklist_item(wf, owner, pid, "need_described", True)


@pytest.mark.parametrize(
    "query", ["", "?stalled=false&definition=lab", "?q=Prosjekt&status=active"]
)
def test_listing_5_or_50_projects_takes_the_same_number_of_statements(
    api, wf, owner, research_org, query
):
    client = api.as_(owner)
    url = f"/api/v1/projects{query}{'&' if query else '?'}per_page=100"
    add_projects(wf, owner, research_org, 5)
    with counting_statements(wf.db.engine) as few:
        small = client.get(url)
    add_projects(wf, owner, research_org, 45)

    with counting_statements(wf.db.engine) as many:
        large = client.get(url)

    assert (small.json["total"], len(large.json["items"])) == (5, 50)
    assert len(many) == len(few), many
    assert len(many) <= 6, many
