"""Calls and applications for the funding figures, inserted with Core.

``add_funding(wf, owner)`` makes the Research Council's 2021 round of the partnership
(29 applications sent, 9 granted, 20 rejected: 31 %), with a draft and a withdrawn one
that do not count, a 2022 call with one granted, one rejected and two pending, and a call
whose deadline is New Year's night in Oslo (still 2021 in UTC, 2022 in Oslo).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import insert

import workflow
from tests.calls_kit import OSLO, add_call
from workflow.store.tables import applications


def deadline(day: date, at: time = time(13)) -> datetime:
    return datetime.combine(day, at, tzinfo=OSLO)


def add_applications(wf: Any, project_id: int, call_id: int, *rows: tuple[str, int, int | None]):
    """Applications of ``project_id`` to ``call_id``: (status, applied, granted) each."""
    values = [
        {
            "project_id": project_id,
            "call_id": call_id,
            "status": status,
            "applied_amount": applied,
            "granted_amount": granted,
            "created_at": wf.clock(),
            "updated_at": wf.clock(),
        }
        for status, applied, granted in rows
    ]
    with wf.db.write() as conn:
        conn.execute(insert(applications), values)


def add_funding(
    wf: Any, owner: Any, *, title_2021: str | None = None, definition: str = "lab"
) -> dict[str, int]:
    """The calls and applications described above; returns the calls' ids by name."""
    health = workflow.create_project(
        wf, owner, definition=definition, title="Helse", thematic_area="helse_velferd"
    )
    city = workflow.create_project(
        wf, owner, definition=definition, title="By", thematic_area="byutvikling"
    )
    loose = workflow.create_project(wf, owner, definition=definition, title="Uten område")
    ipo21 = add_call(
        wf,
        title={"nb": title_2021 or "IPO 2021", "en": title_2021 or "IPO 2021 (en)"},
        deadline=deadline(date(2021, 9, 22)),
    )
    ipo22 = add_call(
        wf,
        funder="RFF Trøndelag",
        title={"nb": "Regionalt 2022", "en": "Regional 2022"},
        deadline=deadline(date(2022, 3, 1)),
    )
    new_year = add_call(
        wf,
        funder="Kommunen",
        title={"nb": "Nyttårsutlysning", "en": "New Year call"},
        deadline=deadline(date(2022, 1, 1), time(0, 30)),
    )
    add_call(wf, title={"nb": "Ingen søknader", "en": "No applications"})
    # 2021: 9 granted (5 health 1 000 000 of 2 000 000, 4 city 500 000 of 1 000 000),
    # 20 rejected (of 1 000 000), and a draft and a withdrawn one that are no applications
    add_applications(wf, health, ipo21, *[("granted", 2_000_000, 1_000_000)] * 5)
    add_applications(wf, city, ipo21, *[("granted", 1_000_000, 500_000)] * 4)
    add_applications(wf, loose, ipo21, *[("rejected", 1_000_000, None)] * 20)
    add_applications(wf, loose, ipo21, ("draft", 9_000_000, None), ("withdrawn", 9_000_000, None))
    # 2022: granted (no area), rejected, two pending (one without an amount)
    add_applications(
        wf,
        loose,
        ipo22,
        ("granted", 3_000_000, 3_000_000),
        ("rejected", 1_000_000, None),
        ("submitted", 1_000_000, None),
        ("submitted", None, None),
    )
    add_applications(wf, city, new_year, ("submitted", 400_000, None))
    return {"ipo21": ipo21, "ipo22": ipo22, "new_year": new_year}
