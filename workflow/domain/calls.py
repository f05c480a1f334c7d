"""Pure rules of a funder's call: when it is open. No database.

A call opens on the calendar day ``opens_on`` (where the users are, Europe/Oslo) and closes
at the moment ``deadline``, an aware datetime: the Research Council's IPO calls close at
13:00 Europe/Oslo on the deadline day, so the deadline is stored as that moment, not as a day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

#: where a call stands at a moment: not yet open, open, or past its deadline
CALL_PHASES = ("open", "upcoming", "closed")


def opening_moment(opens_on: date, zone: ZoneInfo) -> datetime:
    """The first moment of the opening day in ``zone`` (midnight there)."""
    return datetime.combine(opens_on, time(0), tzinfo=zone)


def call_phase(call: Mapping[str, Any], now: datetime, zone: ZoneInfo) -> str:
    """``upcoming`` before the opening day (in ``zone``), ``open`` from then until the
    deadline, ``closed`` from the deadline on.

    ``call`` needs ``opens_on`` (a date) and ``deadline`` (an aware datetime); ``now``
    must be aware.
    """
    if now >= call["deadline"]:
        return "closed"
    if now.astimezone(zone).date() < call["opens_on"]:
        return "upcoming"
    return "open"


def call_is_open(call: Mapping[str, Any], now: datetime, zone: ZoneInfo) -> bool:
    """Whether applications to ``call`` are accepted at ``now``: ``opens_on`` ≤ the day
    of ``now`` in ``zone`` and ``now`` < ``deadline`` (SPEC §2c, the ``call_rules`` check).

    ``call`` needs ``opens_on`` (a date) and ``deadline`` (an aware datetime, e.g. 13:00
    Europe/Oslo on an IPO deadline day); ``now`` must be aware.
    """
    return call_phase(call, now, zone) == "open"
