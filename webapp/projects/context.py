"""What the project page shows, gathered from the engine's read side."""

from __future__ import annotations

from typing import Any

from flask import url_for

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import actor, is_owner, may_decide, spec_of
from webapp.i18n import describe_requirement
from webapp.labels import describe_event
from webapp.projects.applications import applications_context
from webapp.projects.forms import ActionForm, PartnerForm
from workflow import ProjectView


def _gates(view: ProjectView, spec: workflow.Definition) -> list[dict[str, Any]]:
    stage = view.project["stage"]
    gates = []
    for g in view.next_gates:
        gate = spec.gate(g["gate"])
        requires = [
            {
                "met": c["met"],
                "text": describe_requirement(c, spec, stage),
                "href": None if c["met"] else fix_href(c, view.project["id"]),
            }
            for c in g["requires"]
        ]
        gates.append(
            {"gate": gate, "to": spec.stage(g["to"]), "ready": g["ready"], "requires": requires}
        )
    return gates


#: where on the project page each kind of requirement is met (a section's anchor)
SECTION_OF = {
    "partners": "partners",
    "application": "applications",
    "call_rules": "applications",
    "reports": "reports",
    "benefits": "benefits",
    "measurements": "benefits",
    "follow_ups_closed": "follow-ups",
    "lesson": "lesson",
    "attachments": "attachments",
    "roles": "roles",
}


def fix_href(criterion: dict[str, Any], pid: int) -> str | None:
    """Where the owner fixes an unmet requirement: the field on the edit form, the
    checklist item, or the section of the project page (None when there is no such place)."""
    kind, key = criterion["kind"], criterion["key"]
    params = criterion.get("params") or {}
    if kind in ("field", "fields"):
        return url_for("projects.edit", pid=pid, _anchor=f"field_{key}")
    if kind == "compare":
        field = params.get("missing") or params.get("field")
        return url_for("projects.edit", pid=pid, _anchor=f"field_{field}") if field else None
    if kind == "checklist":
        return f"#check-{key}"
    section = SECTION_OF.get(kind)
    return f"#{section}" if section else None


def project_context(view: ProjectView) -> dict[str, Any]:
    """Template variables of ``projects/show.html``."""
    wf = current_workflow()
    spec = spec_of(view)
    p = view.project
    stage = spec.stage(p["stage"])
    owner = is_owner(view)
    editable = owner and p["status"] == "active"  # the engine enforces it again
    events = workflow.project_events(wf, p["id"])
    partner_form = None
    organisations = workflow.organisation_choices(wf) if editable else []
    if editable:
        partner_form = PartnerForm().set_organisations(organisations)
    return {
        "view": view,
        "p": p,
        "spec": spec,
        "stage": stage,
        "checklist": [(item, view.checklist.get(item.key, False)) for item in stage.checklist],
        "gates": _gates(view, spec),
        "events": [(e, describe_event(e, spec)) for e in reversed(events)],
        "is_owner": owner,
        "editable": editable,
        "may_decide": may_decide(view) and p["status"] == "in_review",
        "may_resume": may_decide(view) and p["status"] == "on_hold",
        "already_voted": any(v["voter_id"] == actor().id for v in view.votes),
        "partner_form": partner_form,
        "action_form": ActionForm(),
        "fields": [(f, p["fields"].get(f.key)) for f in spec.fields],
        **applications_context(view, editable=editable, owner=owner, organisations=organisations),
    }
