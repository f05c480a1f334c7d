"""The demo's funders' calls: the Research Council's IPO calls of 2025 and 2026 and a
regional research fund's call, registered through :func:`workflow.services.calls.create_call`.

The IPO 2025 dates are the call's own (DOMAIN.md §8): opens 13 August, deadline 24 September
2025 at 13:00 Norwegian time, answer in December, start between 1 February and 1 May 2026,
end by 30 April 2029. The 2026 call follows the same pattern a year later. The regional
fund's call is an example with smaller amounts; its dates and figures are illustrative.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from workflow.runtime import Workflow
from workflow.services.calls import create_call

OSLO = ZoneInfo("Europe/Oslo")
NFR = "Norges forskningsråd"
RFF = "Regionalt forskningsfond Trøndelag"
IPO_ATTACHMENTS = ["project_description", "partner_information"]

CALLS: tuple[dict[str, Any], ...] = (
    {
        "funder": NFR,
        "title": {
            "nb": "Innovasjonsprosjekt i offentlig sektor 2025",
            "en": "Innovation Project for the Public Sector 2025",
        },
        "url": "https://www.forskningsradet.no/utlysninger/",
        "opens_on": date(2025, 8, 13),
        # IPO deadlines close at 13:00 Norwegian time on the day
        "deadline": datetime(2025, 9, 24, 13, 0, tzinfo=OSLO),
        "decision_expected_on": date(2025, 12, 15),  # "answer in December"
        "earliest_start": date(2026, 2, 1),
        "latest_start": date(2026, 5, 1),
        "latest_end": date(2029, 4, 30),
        "min_amount": 3_000_000,
        "max_amount": 16_000_000,
        # the support rate is a rule of each call, per applicant type, never a fixed 50 %
        # in the definition (an older municipal call gave municipalities up to 75 %)
        "max_support_rate": {"public": 0.5, "research": 0.5},
        "required_partners": {"research": 1, "public": 1},
        "required_attachments": IPO_ATTACHMENTS,
    },
    {
        "funder": NFR,
        "title": {
            "nb": "Innovasjonsprosjekt i offentlig sektor 2026",
            "en": "Innovation Project for the Public Sector 2026",
        },
        "url": "https://www.forskningsradet.no/utlysninger/",
        "opens_on": date(2026, 8, 12),
        "deadline": datetime(2026, 9, 23, 13, 0, tzinfo=OSLO),
        "decision_expected_on": date(2026, 12, 15),
        "earliest_start": date(2027, 2, 1),
        "latest_start": date(2027, 5, 1),
        "latest_end": date(2030, 4, 30),
        "min_amount": 3_000_000,
        "max_amount": 16_000_000,
        "max_support_rate": {"public": 0.5, "research": 0.5},  # per call, as above
        "required_partners": {"research": 1, "public": 1},
        "required_attachments": IPO_ATTACHMENTS,
    },
    {
        "funder": RFF,
        "title": {
            "nb": "Kvalifiseringsprosjekt for offentlig sektor",
            "en": "Qualification project for the public sector",
        },
        "url": "https://www.regionaleforskningsfond.no/trondelag/",
        "opens_on": date(2026, 11, 16),
        "deadline": datetime(2027, 2, 17, 13, 0, tzinfo=OSLO),
        "decision_expected_on": date(2027, 5, 1),
        "earliest_start": date(2027, 6, 1),
        "latest_start": date(2027, 9, 1),
        "latest_end": date(2028, 12, 31),
        "min_amount": 100_000,
        "max_amount": 1_000_000,
        "max_support_rate": {"public": 0.5},
        "required_partners": {"public": 1, "research": 1},
        "required_attachments": ["project_description"],
    },
)


#: the demo projects' names for the calls, in the order of :data:`CALLS`
CALL_KEYS = ("ipo2025", "ipo2026", "rff")


def add_calls(wf: Workflow) -> dict[str, int]:
    """Register the demo's calls (as the system, no actor); return their ids by key."""
    return {key: create_call(wf, None, **call) for key, call in zip(CALL_KEYS, CALLS, strict=True)}


def call_of(key: str) -> dict[str, Any]:
    """The demo call called ``key`` (see :data:`CALL_KEYS`)."""
    return CALLS[CALL_KEYS.index(key)]
