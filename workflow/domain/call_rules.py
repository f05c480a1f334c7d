"""A call's rules for an application (SPEC §2c, DOMAIN §5.1, §8): pure functions, no database.

Each rule is met or unmet with a code and the values its wording needs, as a
:class:`~workflow.requirements.base.Criterion` of kind ``call_rules`` whose key is the rule:

- ``complete``: the application gives its applied amount, budget, planned start and end;
- ``call_open``: the call is open at submission: ``opens_on`` ≤ now < ``deadline``, with
  ``opens_on`` a calendar day in Europe/Oslo (the call opens at midnight there);
- ``own_share``: budget − applied amount ≥ (1 − ``max_support_rate[applicant type]``) ×
  budget; an applicant type the call gives no rate gets no support at all;
- ``start_window``: ``earliest_start`` ≤ planned start ≤ ``latest_start``;
- ``end_by``: planned end ≤ ``latest_end``;
- ``partners``: the call's required organisation types take part, counted by type over the
  project's partners and the applicant itself (the applicant takes part too);
- ``amount``: ``min_amount`` ≤ applied amount ≤ ``max_amount``.

A bound the call leaves empty holds. A rule that needs a value the application lacks is
unmet with ``call_rule_needs`` naming the missing fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from fractions import Fraction
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

from workflow.requirements.base import Criterion

#: an application's statuses: a draft is submitted, then granted or rejected; withdrawn ends it
APPLICATION_STATUSES = ("draft", "submitted", "granted", "rejected", "withdrawn")
#: a budget line's categories (the Research Council's eligible costs)
BUDGET_CATEGORIES = ("salaries", "rnd_services", "equipment", "other")
#: a funder's decisions on a submitted application
OUTCOMES = ("granted", "rejected")
KIND = "call_rules"
#: the rules, in the order they are evaluated and shown
RULES = ("complete", "call_open", "own_share", "start_window", "end_by", "partners", "amount")
#: the values an application must give before it can be submitted
REQUIRED_FIELDS = ("applied_amount", "budget", "planned_start", "planned_end")
OSLO = ZoneInfo("Europe/Oslo")


def is_open(call: Mapping[str, Any], now: datetime, zone: ZoneInfo = OSLO) -> bool:
    """Whether ``call`` takes applications at ``now``: ``opens_on`` ≤ now < ``deadline``."""
    return call_open_code(call, now, zone) == "call_open"


def call_open_code(call: Mapping[str, Any], now: datetime, zone: ZoneInfo = OSLO) -> str:
    """``call_open``, ``call_not_open_yet`` or ``call_closed`` for ``call`` at ``now``."""
    if now.astimezone(zone).date() < call["opens_on"]:
        return "call_not_open_yet"
    if now >= _aware(call["deadline"]):
        return "call_closed"
    return "call_open"


def _aware(moment: datetime) -> datetime:
    """A stored moment; SQLite hands back naive UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return _aware(moment).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def evaluate(
    call: Mapping[str, Any],
    application: Mapping[str, Any],
    *,
    applicant_type: str | None,
    partner_types: Iterable[str],
    now: datetime,
    zone: ZoneInfo = OSLO,
) -> list[Criterion]:
    """Every rule of ``call`` for ``application`` at ``now``, met or not, in :data:`RULES` order.

    ``applicant_type`` is the applicant organisation's type (the named applicant's, else the
    owner's organisation's; None when neither is known); ``partner_types`` the type of each of
    the project's partners.
    """
    a = application
    missing = [f for f in REQUIRED_FIELDS if a.get(f) is None]
    out = [
        _c("complete", "application_fields_missing", {"fields": missing})
        if missing
        else _c("complete", "application_complete", {}, met=True)
    ]
    code = call_open_code(call, now, zone)
    params = {"deadline": _local(call["deadline"], zone), "opens_on": call["opens_on"].isoformat()}
    out.append(_c("call_open", code, params, met=code == "call_open"))
    out.append(_own_share(call, a, applicant_type))
    out.append(_start(call, a.get("planned_start")))
    out.append(_end(call, a.get("planned_end")))
    out.append(_partners(call, applicant_type, partner_types))
    out.append(_amount(call, a.get("applied_amount")))
    return out


def unmet(criteria: Iterable[Criterion]) -> list[Criterion]:
    """The criteria that are not met."""
    return [c for c in criteria if not c.met]


def _c(rule: str, code: str, params: Mapping[str, Any], *, met: bool = False) -> Criterion:
    return Criterion(KIND, rule, met, code, dict(params))


def _needs(rule: str, *fields: str) -> Criterion:
    return _c(rule, "call_rule_needs", {"fields": list(fields)})


def _own_share(
    call: Mapping[str, Any], a: Mapping[str, Any], applicant_type: str | None
) -> Criterion:
    budget, applied = a.get("budget"), a.get("applied_amount")
    lacking = [f for f, v in (("budget", budget), ("applied_amount", applied)) if v is None]
    if lacking:
        return _needs("own_share", *lacking)
    if applicant_type is None:
        return _c("own_share", "applicant_unknown", {})
    rates = call.get("max_support_rate") or {}
    if rates.get(applicant_type) is None:
        return _c("own_share", "applicant_type_not_supported", {"type": applicant_type})
    rate = Fraction(str(rates[applicant_type]))
    share = 1 - rate
    own = int(a["budget"]) - int(a["applied_amount"])
    required = share * int(a["budget"])
    params = {
        "own_share": own,
        "required": ceil(required),
        "percent": _percent(share),
        "type": applicant_type,
        "max_support_rate": float(rate),
    }
    met = own >= required
    return _c("own_share", "own_share_enough" if met else "own_share_too_small", params, met=met)


def _percent(share: Fraction) -> int | float:
    value = round(float(share * 100), 1)
    return int(value) if value == int(value) else value


def _start(call: Mapping[str, Any], start: date | None) -> Criterion:
    if start is None:
        return _needs("start_window", "planned_start")
    earliest, latest = call.get("earliest_start"), call.get("latest_start")
    params = {"start": start.isoformat()}
    if earliest is not None and start < earliest:
        return _c("start_window", "start_too_early", {**params, "earliest": earliest.isoformat()})
    if latest is not None and start > latest:
        return _c("start_window", "start_too_late", {**params, "latest": latest.isoformat()})
    return _c("start_window", "start_in_window", params, met=True)


def _end(call: Mapping[str, Any], end: date | None) -> Criterion:
    if end is None:
        return _needs("end_by", "planned_end")
    latest = call.get("latest_end")
    params = {"end": end.isoformat()}
    if latest is not None and end > latest:
        return _c("end_by", "end_too_late", {**params, "latest": latest.isoformat()})
    return _c("end_by", "end_in_time", params, met=True)


def _partners(
    call: Mapping[str, Any], applicant_type: str | None, partner_types: Iterable[str]
) -> Criterion:
    present = Counter(partner_types)
    if applicant_type is not None:
        present[applicant_type] += 1
    required = call.get("required_partners") or {}
    counts = {t: {"needed": int(n), "present": present[t]} for t, n in sorted(required.items())}
    lacking = [t for t, c in counts.items() if c["present"] < c["needed"]]
    if lacking:
        return _c("partners", "partners_lacking", {"types": lacking, "counts": counts})
    return _c("partners", "partners_as_required", {"counts": counts}, met=True)


def _amount(call: Mapping[str, Any], amount: int | None) -> Criterion:
    if amount is None:
        return _needs("amount", "applied_amount")
    low, high = call.get("min_amount"), call.get("max_amount")
    if low is not None and amount < low:
        return _c("amount", "amount_too_small", {"amount": amount, "min": low})
    if high is not None and amount > high:
        return _c("amount", "amount_too_large", {"amount": amount, "max": high})
    return _c("amount", "amount_in_range", {"amount": amount}, met=True)
