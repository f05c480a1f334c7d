"""When a project stalls, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workflow.definitions import parse_definition
from workflow.domain.stalls import stale_at, stall_actions

LAB = parse_definition((Path(__file__).resolve().parents[1] / "data" / "lab.yaml").read_text())
NOW = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stage", "status", "days"),
    [
        ("idea", "active", 10),
        ("idea", "in_review", 10),
        ("build", "active", 20),
        ("idea", "on_hold", None),
        ("idea", "killed", None),
        ("done", "completed", None),
        ("done", "active", None),  # a stage without sla_days never stalls
    ],
)
def test_a_project_goes_stale_its_stages_sla_after_its_last_activity(stage, status, days):
    expected = None if days is None else NOW + timedelta(days=days)

    assert stale_at(LAB, stage, status, NOW) == expected


@pytest.mark.parametrize(
    ("flagged", "escalated", "idle_days", "actions"),
    [
        (False, False, 11, ["stalled"]),
        (False, False, 19, ["stalled"]),
        (False, False, 20, ["stalled", "escalated"]),  # a catch-up run does both at once
        (True, False, 19, []),
        (True, False, 20, ["escalated"]),
        (True, True, 40, []),
    ],
)
def test_the_owner_is_told_once_and_the_gatekeepers_at_twice_the_sla(
    flagged, escalated, idle_days, actions
):
    due = stall_actions(
        flagged=flagged, escalated=escalated, idle=timedelta(days=idle_days), sla_days=10
    )

    assert due == actions
