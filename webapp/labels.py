"""How the UI words a project's timeline and the decisions' help texts.

The engine records events by action and payload; the pages speak the user's language.
The wording of the engine's codes and vocabularies is in :mod:`webapp.i18n`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.i18n import field_label, item_label, language, word_key
from workflow import Definition

DECISION_HELP = {
    "go": _l("advance to the next stage"),
    "kill": _l("stop the project for good; this is final and cannot be undone"),
    "hold": _l("park it; a gatekeeper can resume it later"),
    "recycle": _l("send it back for more work, with feedback"),
}

BUILT_IN_FIELDS = {
    "title": _l("title"),
    "summary": _l("summary"),
    "thematic_area": _l("thematic area"),
}


def _stage(spec: Definition, key: str | None) -> str:
    try:
        return spec.stage(key or "").title.get(language())
    except KeyError:
        return key or ""


def _gate(spec: Definition, key: str | None) -> str:
    try:
        return spec.gate(key or "").title.get(language())
    except KeyError:
        return key or ""


def _day(iso: Any) -> str:
    """An ISO day of an event's payload in the page language (``d. MMM y`` in bokmål)."""
    try:
        value = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso or "")
    return format_date(value, "d. MMM y" if language() == "nb" else "d MMM y")


def describe_event(event: Mapping[str, Any], spec: Definition) -> str:
    """One line of the project's timeline: what happened (who and when are shown apart)."""
    p = event["payload"] or {}
    action = event["action"]
    words: dict[str, Callable[[], str]] = {
        "created": lambda: _("created the project"),
        "edited": lambda: _(
            "edited %(fields)s",
            fields=", ".join(
                str(BUILT_IN_FIELDS[k]) if k in BUILT_IN_FIELDS else field_label(spec, k)
                for k in p.get("changed", [])
            ),
        ),
        "checklist_ticked": lambda: _(
            "ticked off “%(item)s”", item=item_label(spec, p.get("stage"), p.get("item", ""))
        ),
        "checklist_unticked": lambda: _(
            "reopened “%(item)s”", item=item_label(spec, p.get("stage"), p.get("item", ""))
        ),
        "partner_added": lambda: _("added %(org)s as a partner", org=p.get("organisation", "")),
        "partner_removed": lambda: _("removed the partner %(org)s", org=p.get("organisation", "")),
        "partner_merged": lambda: _(
            "merged the partner %(src)s into %(dst)s",
            src=p.get("from_organisation", ""),
            dst=p.get("to_organisation", ""),
        ),
        "submitted": lambda: _("submitted to the gate “%(gate)s”", gate=_gate(spec, p.get("gate"))),
        "voted": lambda: _(
            "voted %(decision)s at “%(gate)s”",
            decision=word_key("decision", p.get("decision")),
            gate=_gate(spec, p.get("gate")),
        ),
        "gate_passed": lambda: _(
            "passed “%(gate)s”: from %(src)s to %(dst)s",
            gate=_gate(spec, p.get("gate")),
            src=_stage(spec, event["from_stage"]),
            dst=_stage(spec, event["to_stage"]),
        ),
        "killed": lambda: _("killed the project at “%(gate)s”", gate=_gate(spec, p.get("gate"))),
        "held": lambda: _("put the project on hold at “%(gate)s”", gate=_gate(spec, p.get("gate"))),
        "recycled": lambda: _(
            "sent the project back to %(stage)s for more work",
            stage=_stage(spec, event["to_stage"]),
        ),
        "resumed": lambda: _("resumed the project"),
        "stalled": lambda: (
            _(
                "flagged: waited %(days)s days for a decision at “%(gate)s”, "
                "longer than the %(sla)s days promised",
                days=p.get("days_waiting", "?"),
                gate=_gate(spec, p.get("gate")),
                sla=p.get("review_sla_days", "?"),
            )
            if p.get("reason") == "review_overdue"
            else _(
                "flagged as stalled: no activity for %(days)s days", days=p.get("days_idle", "?")
            )
        ),
        "escalated": lambda: (
            _(
                "overdue decision escalated to the gatekeepers after %(days)s days",
                days=p.get("days_waiting", "?"),
            )
            if p.get("reason") == "review_overdue"
            else _(
                "stall escalated to the gatekeepers after %(days)s days",
                days=p.get("days_idle", "?"),
            )
        ),
        # reports
        "report_added": lambda: _(
            "added a report: %(kind)s, due %(day)s",
            kind=word_key("report_kind", p.get("kind")),
            day=_day(p.get("due_on")),
        ),
        "report_delivered": lambda: _(
            "delivered the report: %(kind)s", kind=word_key("report_kind", p.get("kind"))
        ),
        "report_approved": lambda: _(
            "approved the report: %(kind)s", kind=word_key("report_kind", p.get("kind"))
        ),
        # --- open data (issue #17) ---
        "published": lambda: _("published the project in the open portfolio"),
        "unpublished": lambda: _("took the project out of the open portfolio"),
        "personal_data_erased": lambda: _(
            "erased a person's data from %(count)s event(s)",
            count=len(p.get("redacted_events", [])),
        ),
        # the project room
        "commented": lambda: _("wrote in the discussion"),
        "question_asked": lambda: _(
            "asked for more information at “%(gate)s”; the review waits for the answer",
            gate=_gate(spec, p.get("gate")),
        ),
        "question_answered": lambda: _("answered a question from the gatekeepers"),
        "follow_up_closed": lambda: _(
            "closed a condition: %(note)s", note=" ".join(str(p.get("note", "")).split())[:200]
        ),
        # lessons learned (issue 13)
        "lesson_written": lambda: _("wrote the lesson learned"),
        "partner_changed": lambda: _partner_change(p),
        "roles_set": lambda: _roles_named(spec, p),
        "attachment_added": lambda: _(
            "uploaded %(file)s as %(type)s, version %(version)s",
            file=p.get("filename", ""),
            type=_choice(spec.attachment_types, p.get("type")),
            version=p.get("version", "?"),
        ),
        "benefit_added": lambda: _("added a benefit to the benefit realisation plan"),
        "benefit_changed": lambda: _("changed a benefit in the benefit realisation plan"),
        "measurement_recorded": lambda: _("recorded a measurement of a benefit"),
        "application_created": lambda: _("started a funding application"),
        "application_added": lambda: _("started a funding application"),
        "application_edited": lambda: _("edited the funding application"),
        "application_submitted": lambda: _("submitted the funding application"),
        "application_decided": lambda: _(
            "recorded the funder's decision: %(outcome)s",
            outcome=word_key("application_status", p.get("outcome")).lower(),
        ),
        "application_withdrawn": lambda: _("withdrew the funding application"),
        "application_reapplied": lambda: _("applied again with a new application"),
    }
    return words[action]() if action in words else action.replace("_", " ")


def _choice(choices: Sequence[Any], key: str | None) -> str:
    """The label of a definition's role or attachment type (the key when it is gone)."""
    for choice in choices:
        if choice.key == key:
            return str(choice.label.get(language()))
    return key or ""


def _roles_named(spec: Definition, payload: Mapping[str, Any]) -> str:
    named = [_choice(spec.project_roles, key) for key in payload.get("roles", {})]
    if not named:
        return _("emptied the project's roles")
    return _("named the project's roles: %(roles)s", roles=", ".join(named))


def _partner_change(payload: Mapping[str, Any]) -> str:
    if "to" in payload:
        return _(
            "moved the partner %(org)s to %(status)s",
            org=payload.get("organisation", ""),
            status=word_key("partner_status", payload.get("to")).lower(),
        )
    return _("changed the role of the partner %(org)s", org=payload.get("organisation", ""))
