"""The project page's "Suggested partners" panel and its one-click invitation."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

import workflow
from webapp.extensions import current_workflow
from webapp.helpers import actor, is_owner, spec_of
from webapp.i18n import localized, word
from webapp.projects import bp
from webapp.projects.actions import _back
from webapp.projects.forms import ActionForm
from workflow import ProjectView

#: how many suggestions the panel shows
SHOWN = 5


def _worded(reason: workflow.Reason, spec: workflow.Definition) -> str:
    params = dict(reason.params)
    gates = {g.key: g for g in spec.gates}
    gate = gates.get(params.get("gate") or "")
    if gate is not None:
        params["gate"] = localized(gate.title.model_dump())
    return word(workflow.Problem(reason.code, params))


def suggestion_panel(view: ProjectView) -> dict[str, Any]:
    """Template variables of ``projects/_suggestions.html``: the best few suggestions with
    their reasons in the page language, and whether the user may invite them."""
    spec = spec_of(view)
    found = workflow.suggest_partners(current_workflow(), view, limit=SHOWN)
    return {
        "suggestions": [
            {
                "organisation": s.organisation,
                "percent": round(s.score * 100),
                "reasons": [_worded(r, spec) for r in s.reasons],
            }
            for s in found
        ],
        "may_invite": is_owner(view) and view.project["status"] == "active",
    }


@bp.post("/projects/<id:pid>/suggestions/<id:org_id>/invite")
def invite(pid: int, org_id: int) -> Response:
    """Add a suggested organisation as a partner (status invited)."""
    version = request.form.get("version", "")
    if not ActionForm().validate_on_submit() or not version.isdigit():
        abort(400)
    workflow.add_partner(
        current_workflow(), actor(), pid, organisation_id=org_id, expected_version=int(version)
    )
    flash(_("The organisation is invited as a partner."), "success")
    return _back(pid, "partners")
