"""Calls for tests, inserted with Core: the calls' own use cases are not needed to read them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from workflow.store.tables import calls

OSLO = ZoneInfo("Europe/Oslo")


def add_call(wf: Any, **values: Any) -> int:
    """A call (the IPO 2026 call unless ``values`` say otherwise); returns its id."""
    row: dict[str, Any] = {
        "funder": "Forskningsrådet",
        "title": {"nb": "Innovasjonsprosjekt i offentlig sektor 2026", "en": "IPO 2026"},
        "url": "https://www.forskningsradet.no/",
        "opens_on": date(2026, 10, 1),
        "deadline": datetime.combine(date(2026, 12, 2), time(13), tzinfo=OSLO),
        "decision_expected_on": date(2027, 3, 1),
        "earliest_start": date(2027, 2, 1),
        "latest_start": date(2027, 5, 1),
        "latest_end": date(2030, 4, 30),
        "min_amount": 1_000_000,
        "max_amount": 16_000_000,
        "max_support_rate": {"public": 0.5, "research": 0.5},
        "required_partners": {"research": 1},
        "required_attachments": [],
        "created_at": wf.clock(),
        "updated_at": wf.clock(),
    }
    row.update(values)
    with wf.db.write() as conn:
        return int(conn.execute(insert(calls).values(**row).returning(calls.c.id)).scalar_one())


#: a draft that meets the default call's rules with a public applicant
GOOD = {
    "applied_amount": 5_000_000,
    "budget": 10_000_000,
    "planned_start": "2027-03-01",
    "planned_end": "2029-12-31",
}
