"""The portfolio's counts per thematic area and its filtered stalled list (issue #15,
item 15), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import workflow
from tests.conftest import EPOCH
from workflow import ProjectFilter


def test_area_counts_and_the_stalled_list_follow_the_filters(wf, owner):
    for definition, area in (("lab", "helse_velferd"), ("lab", None), ("ipo", "helse_velferd")):
        workflow.create_project(
            wf, owner, definition=definition, title=f"{definition} {area}", thematic_area=area
        )
    later = EPOCH + timedelta(days=40)
    wf.clock = lambda: later

    assert workflow.area_counts(wf) == {"helse_velferd": 2, None: 1}
    assert workflow.area_counts(wf, ProjectFilter(definition="ipo")) == {"helse_velferd": 1}
    stalled = workflow.stalled_projects(wf, as_of=later, filters=ProjectFilter(definition="lab"))
    assert stalled.total == 2
    assert {p["definition_key"] for p in stalled.items} == {"lab"}
    assert all(p["days_in_stage"] == 39 for p in stalled.items)
