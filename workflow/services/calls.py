"""Funders' calls (utlysninger) that coordinators register and everyone reads.

Coordinators and admins write calls (``None`` as actor: the CLI or the demo). Each write
appends a row to ``call_events`` in the same transaction. A call's ``deadline`` is a moment,
an aware datetime: the Research Council's IPO calls close at **13:00 Europe/Oslo** on the
deadline day, so give ``datetime(2025, 9, 24, 13, 0, tzinfo=ZoneInfo("Europe/Oslo"))``,
never a bare day. Support rates (``max_support_rate``) are rules of the call, per
organisation type of the applicant, never of a definition.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from workflow.definitions import ORGANISATION_TYPES
from workflow.domain.calls import opening_moment
from workflow.domain.text import has_control
from workflow.domain.values import line_problem
from workflow.errors import InvalidInput, NotFound, PermissionDenied, Problem
from workflow.runtime import Actor, Workflow
from workflow.store.tables import call_events, calls

MAX_FUNDER = 200
MAX_TITLE = 200
MAX_URL = 500
MAX_AMOUNT = 10**12
MAX_PARTNERS = 100
MAX_ATTACHMENTS = 20
#: the years a call's dates may fall in (outside them a date is a typing error)
YEARS = (1900, 2999)
ATTACHMENT_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
#: the fields :func:`create_call` and :func:`update_call` take
CALL_FIELDS = (
    "funder",
    "title",
    "url",
    "opens_on",
    "deadline",
    "decision_expected_on",
    "earliest_start",
    "latest_start",
    "latest_end",
    "min_amount",
    "max_amount",
    "max_support_rate",
    "required_partners",
    "required_attachments",
)
_OPTIONAL_DAYS = ("decision_expected_on", "earliest_start", "latest_start", "latest_end")


def _require_coordinator(actor: Actor | None) -> None:
    if actor is not None and not actor.is_coordinator:
        raise PermissionDenied("calls_coordinators_only")


def _day(value: Any) -> date | Problem:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return Problem("not_date")
    if isinstance(value, datetime) or not isinstance(value, date):
        return Problem("not_date")
    if not YEARS[0] <= value.year <= YEARS[1]:
        return Problem("year_between", {"min": YEARS[0], "max": YEARS[1]})
    day: date = value
    return day


def _moment(value: Any) -> datetime | Problem:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return Problem("not_moment")
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        return Problem("not_moment")
    if not YEARS[0] <= value.year <= YEARS[1]:
        return Problem("year_between", {"min": YEARS[0], "max": YEARS[1]})
    return value


def _amount(value: Any) -> int | Problem | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return Problem("not_whole_number")
    if not 0 <= value <= MAX_AMOUNT:
        return Problem("number_between", {"min": 0, "max": MAX_AMOUNT})
    return int(value)


def _title(value: Any, errors: dict[str, Problem]) -> dict[str, str]:
    if not isinstance(value, Mapping) or set(value) - {"nb", "en"}:
        errors["title"] = Problem("not_title")
        return {}
    kept: dict[str, str] = {}
    for language, required in (("nb", True), ("en", False)):
        text = value.get(language) or ""
        problem = line_problem(text, MAX_TITLE, required=required)
        if problem is not None:
            errors[f"title.{language}"] = problem
        else:
            kept[language] = text.strip()
    return kept


def _type_map(value: Any, field: str, errors: dict[str, Problem]) -> dict[str, Any] | None:
    """A mapping of organisation types, or None after naming what is wrong."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not set(value) <= set(ORGANISATION_TYPES):
        errors[field] = Problem("not_type_map", {"choices": list(ORGANISATION_TYPES)})
        return None
    return dict(value)


def _rates(value: Any, errors: dict[str, Problem]) -> dict[str, float]:
    given = _type_map(value, "max_support_rate", errors)
    kept: dict[str, float] = {}
    for kind in ORGANISATION_TYPES:
        if given is None or kind not in given:
            continue
        rate = given[kind]
        if (
            isinstance(rate, bool)
            or not isinstance(rate, int | float)
            or not math.isfinite(rate)
            or not 0 <= rate <= 1
        ):
            errors[f"max_support_rate.{kind}"] = Problem("not_rate")
        else:
            kept[kind] = float(rate)
    return kept


def _partners(value: Any, errors: dict[str, Problem]) -> dict[str, int]:
    given = _type_map(value, "required_partners", errors)
    kept: dict[str, int] = {}
    for kind in ORGANISATION_TYPES:
        if given is None or kind not in given:
            continue
        count = given[kind]
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_PARTNERS:
            problem = Problem("number_between", {"min": 1, "max": MAX_PARTNERS})
            errors[f"required_partners.{kind}"] = problem
        else:
            kept[kind] = count
    return kept


def _attachments(value: Any, errors: dict[str, Problem]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(
        isinstance(k, str) and ATTACHMENT_KEY.match(k) for k in value
    ):
        errors["required_attachments"] = Problem("not_attachment_keys")
        return []
    kept = list(dict.fromkeys(value))
    if len(kept) > MAX_ATTACHMENTS:
        errors["required_attachments"] = Problem("too_many", {"max": MAX_ATTACHMENTS})
    return kept


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise each field given, alone; raise InvalidInput naming each wrong."""
    errors: dict[str, Problem] = {}
    clean: dict[str, Any] = {}
    if "funder" in values:
        problem = line_problem(values["funder"], MAX_FUNDER, required=True)
        if problem:
            errors["funder"] = problem
        else:
            clean["funder"] = " ".join(values["funder"].split())
    if "title" in values:
        clean["title"] = _title(values["title"], errors)
    if "url" in values:
        url = values["url"] if values["url"] is not None else ""
        if not isinstance(url, str) or len(url) > MAX_URL:
            errors["url"] = Problem("length_between", {"min": 0, "max": MAX_URL})
        elif url.strip() and (
            not re.match(r"^https?://[^\s/?#]+\S*$", url.strip()) or has_control(url)
        ):
            errors["url"] = Problem("not_web_address")
        else:
            clean["url"] = url.strip()
    if "opens_on" in values:
        found = _day(values["opens_on"])
        if isinstance(found, Problem):
            errors["opens_on"] = found
        else:
            clean["opens_on"] = found
    if "deadline" in values:
        moment = _moment(values["deadline"])
        if isinstance(moment, Problem):
            errors["deadline"] = moment
        else:
            clean["deadline"] = moment
    for name in _OPTIONAL_DAYS:
        if name in values:
            if values[name] is None:
                clean[name] = None
                continue
            found = _day(values[name])
            if isinstance(found, Problem):
                errors[name] = found
            else:
                clean[name] = found
    for name in ("min_amount", "max_amount"):
        if name in values:
            amount = _amount(values[name])
            if isinstance(amount, Problem):
                errors[name] = amount
            else:
                clean[name] = amount
    if "max_support_rate" in values:
        clean["max_support_rate"] = _rates(values["max_support_rate"], errors)
    if "required_partners" in values:
        clean["required_partners"] = _partners(values["required_partners"], errors)
    if "required_attachments" in values:
        clean["required_attachments"] = _attachments(values["required_attachments"], errors)
    if errors:
        raise InvalidInput(errors)
    return clean


def _check_together(call: Mapping[str, Any], wf: Workflow) -> None:
    """The rules between fields, on the call as it would be after the change."""
    errors: dict[str, Problem] = {}
    opens_on, deadline = call["opens_on"], call["deadline"]
    if deadline <= opening_moment(opens_on, wf.zone):
        errors["deadline"] = Problem("deadline_before_opening", {"opens_on": opens_on.isoformat()})
    decision = call.get("decision_expected_on")
    if decision is not None and decision < deadline.astimezone(wf.zone).date():
        errors["decision_expected_on"] = Problem("decision_before_deadline")
    earliest, latest, end = (
        call.get("earliest_start"),
        call.get("latest_start"),
        call.get("latest_end"),
    )
    if earliest is not None and latest is not None and latest < earliest:
        errors["latest_start"] = Problem("latest_start_before_earliest")
    last_start = latest or earliest
    if last_start is not None and end is not None and end <= last_start:
        errors["latest_end"] = Problem("latest_end_before_start")
    low, high = call.get("min_amount"), call.get("max_amount")
    if low is not None and high is not None and high < low:
        errors["max_amount"] = Problem("max_below_min")
    if errors:
        raise InvalidInput(errors)


def _event(
    conn: Connection,
    call_id: int,
    actor: Actor | None,
    action: str,
    payload: Mapping[str, Any],
    now: datetime,
) -> None:
    conn.execute(
        insert(call_events).values(
            call_id=call_id,
            actor_id=None if actor is None else actor.id,
            action=action,
            payload=dict(payload),
            created_at=now,
        )
    )


def create_call(
    wf: Workflow,
    actor: Actor | None,
    *,
    funder: str,
    title: Mapping[str, str],
    opens_on: date,
    deadline: datetime,
    url: str = "",
    decision_expected_on: date | None = None,
    earliest_start: date | None = None,
    latest_start: date | None = None,
    latest_end: date | None = None,
    min_amount: int | None = None,
    max_amount: int | None = None,
    max_support_rate: Mapping[str, float] | None = None,
    required_partners: Mapping[str, int] | None = None,
    required_attachments: Sequence[str] = (),
) -> int:
    """Register a funder's call (coordinators and admins; ``None`` for the CLI or demo).

    ``title`` is ``{"nb": …, "en": …}`` (bokmål required); ``deadline`` an aware datetime
    (IPO: 13:00 Europe/Oslo); amounts whole NOK; ``max_support_rate`` organisation type →
    0..1; ``required_partners`` organisation type → 1..100. Returns the new call's id.

    Raises:
        PermissionDenied: the actor is neither coordinator nor admin.
        InvalidInput: naming each wrong field, and each rule between fields that fails
            (opening after the deadline, a start window the wrong way round, …).
    """
    _require_coordinator(actor)
    values = _clean(
        {
            "funder": funder,
            "title": title,
            "url": url,
            "opens_on": opens_on,
            "deadline": deadline,
            "decision_expected_on": decision_expected_on,
            "earliest_start": earliest_start,
            "latest_start": latest_start,
            "latest_end": latest_end,
            "min_amount": min_amount,
            "max_amount": max_amount,
            "max_support_rate": max_support_rate,
            "required_partners": required_partners,
            "required_attachments": (
                list(required_attachments)
                if isinstance(required_attachments, list | tuple)
                else required_attachments
            ),
        }
    )
    _check_together(values, wf)
    with wf.db.write() as conn:
        now = wf.clock()
        call_id = int(
            conn.execute(
                insert(calls).values(**values, created_at=now, updated_at=now).returning(calls.c.id)
            ).scalar_one()
        )
        _event(conn, call_id, actor, "created", {"funder": values["funder"]}, now)
    return call_id


def _locked(conn: Connection, call_id: int) -> dict[str, Any]:
    query = select(calls).where(calls.c.id == call_id)
    if conn.dialect.name != "sqlite":
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound("no_call", call=call_id)
    return dict(row)


def update_call(wf: Workflow, actor: Actor | None, call_id: int, **changes: Any) -> list[str]:
    """Change the given fields of a call (see :data:`CALL_FIELDS`); the others stay. The
    rules between fields are checked on the call as it would be afterwards. Returns the
    names of the fields that changed (none: nothing is written).

    Raises:
        PermissionDenied, NotFound, InvalidInput.
    """
    _require_coordinator(actor)
    unknown = sorted(set(changes) - set(CALL_FIELDS))
    if unknown:
        raise InvalidInput({name: Problem("unknown_call_field") for name in unknown})
    for required in ("funder", "title", "opens_on", "deadline"):
        if required in changes and changes[required] is None:
            raise InvalidInput({required: Problem("required")})
    values = _clean(changes)
    with wf.db.write() as conn:
        row = _locked(conn, call_id)
        changed = {k: v for k, v in values.items() if row[k] != v}
        if not changed:
            return []
        _check_together({**row, **changed}, wf)
        now = wf.clock()
        conn.execute(update(calls).where(calls.c.id == call_id).values(**changed, updated_at=now))
        _event(conn, call_id, actor, "edited", {"changed": sorted(changed)}, now)
    return sorted(changed)
