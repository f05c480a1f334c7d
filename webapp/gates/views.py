"""The gatekeeper's queue, the gate review page and resuming an on-hold project."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

import workflow
from webapp.extensions import current_workflow
from webapp.gates import bp
from webapp.gates.forms import ResumeForm, decision_form
from webapp.helpers import actor, is_owner, may_decide, page_arg, require, run_form, spec_of
from webapp.i18n import describe_requirement, group_label, word, word_key
from webapp.labels import DECISION_HELP, describe_event
from webapp.projects.discussion import QuestionForm
from webapp.projects.forms import ActionForm
from workflow import Definition, Gate, ProjectView, StaleVersion


@bp.get("/gates")
def queue() -> str:
    """Projects awaiting the gatekeeper's vote, and on-hold projects they may resume."""
    wf = current_workflow()
    standing_in = workflow.substitute_groups(wf, actor())
    require(actor().is_gatekeeper or bool(standing_in))
    areas = workflow.list_thematic_areas(wf)
    invalid: list[
        str
    ] = []  # a filter with a value not on offer is said to be ignored, not dropped silently
    area = request.args.get("area") or None
    if area is not None and area not in {a["key"] for a in areas}:
        area, invalid = None, [*invalid, _("Thematic area")]
    definition = request.args.get("definition") or None
    if definition is not None and definition not in set(wf.catalog.keys()):
        definition, invalid = None, [*invalid, _("Collaboration form")]
    order = request.args.get("order") or "waited"
    if order not in workflow.QUEUE_ORDERS:
        order, invalid = "waited", [*invalid, _("Sort by")]
    page = workflow.gate_queue(
        wf,
        actor(),
        page=page_arg(),
        thematic_area=area,
        definition=definition,
        standing_in=standing_in,
        order=order,
    )
    held = workflow.on_hold_for(wf, actor())
    conflicts = {p["id"]: word(p["conflict"]) for p in page.items if p["conflict"]}
    return render_template(
        "gates/queue.html",
        page=page,
        held=held,
        form=ActionForm(),
        conflicts=conflicts,
        areas=areas,
        area=area,
        chosen_definition=definition,  # "definition" is the templates' look-up function
        order=order,
        invalid=invalid,
        definitions=wf.catalog.latest(),
        groups=", ".join(group_label(g) for g in [actor().group, *standing_in] if g),
    )


@bp.route("/projects/<id:pid>/review", methods=["GET", "POST"])
def review(pid: int) -> ResponseReturnValue:
    """The gate review: requirements, scorecard, votes so far, and the decision form."""
    view = workflow.get_project(current_workflow(), pid)
    if request.method == "POST" and _decided_meanwhile(view):
        return _already_decided(view)
    voter = may_decide(view)
    # coordinators follow every review, read-only
    require(voter or (actor().is_coordinator and request.method == "GET"))
    if view.project["status"] != "in_review":
        flash(_("This project is not awaiting a decision."), "info")
        return redirect(url_for("projects.show", pid=pid))
    spec = spec_of(view)
    gate = spec.gate(view.project["pending_gate"])
    form = decision_form(gate, view.project["version"])
    if not voter:
        context = _review_context(view, spec, gate)
        return render_template(
            "gates/review.html", form=form, read_only=True, conflict=None, **context
        )
    # the vote checks again in its transaction; this only says why there is no form
    conflict = workflow.conflict_of_interest(current_workflow(), actor(), pid)
    result = None
    try:
        if form.validate_on_submit():
            conditions = form.conditions(current_workflow())
            if conditions is not None:
                result = run_form(
                    form,
                    workflow.decide_gate,
                    current_workflow(),
                    actor(),
                    pid,
                    **form.values(),
                    conditions=conditions or None,
                )
    except StaleVersion:
        # another gatekeeper voted meanwhile: show their vote and keep what was typed
        view = workflow.get_project(current_workflow(), pid)
        if view.project["status"] != "in_review":
            return _already_decided(view)
        form.version.data = str(view.project["version"])
        form.form_errors.append(
            _("Another gatekeeper voted while you were deciding. Their vote is listed below;")
            + " "
            + _("check your decision and record it again.")
        )
        result = None
    if result:
        flash(_outcome(result), "success")
        return redirect(url_for("gates.queue"))
    context = _review_context(view, spec, gate)
    context["conflict"] = word(conflict) if conflict else None
    return render_template("gates/review.html", form=form, **context), 400 if form.errors else 200


@bp.route("/projects/<id:pid>/resume", methods=["GET", "POST"])
def resume(pid: int) -> ResponseReturnValue:
    """Bring an on-hold project back to active work, after a confirmation with a reason."""
    view = workflow.get_project(current_workflow(), pid)
    require(may_decide(view))
    if view.project["status"] != "on_hold":
        flash(_("This project is not on hold."), "info")
        return redirect(url_for("projects.show", pid=pid), 303)
    form = ResumeForm()
    done = form.validate_on_submit() and run_form(
        form, workflow.resume_project, current_workflow(), actor(), pid, reason=form.reason.data
    )
    if done:
        flash(_("The project is active again."), "success")
        return redirect(url_for("projects.show", pid=pid), 303)
    page = render_template("gates/resume.html", form=form, view=view, p=view.project)
    return page, 400 if form.errors else 200


def _decided_meanwhile(view: ProjectView) -> bool:
    """Whether a gatekeeper posts a decision on a gate that another decided meanwhile."""
    return (
        actor().is_gatekeeper
        and not is_owner(view)
        and view.project["status"] != "in_review"
        and request.form.get("decision") is not None
    )


def _already_decided(view: ProjectView) -> tuple[str, int]:
    """The losing gatekeeper of a race: where the project is now, their comment kept."""
    spec = spec_of(view)
    stage = spec.stage(view.project["stage"])
    return render_template(
        "gates/decided.html",
        view=view,
        p=view.project,
        spec=spec,
        stage=stage,
        comment=request.form.get("comment", ""),
    ), 409


def _outcome(result: workflow.DecisionResult) -> str:
    if not result.decided:
        return _("Your go vote is recorded. The gate passes when every group has voted go.")
    return _(
        "Decision recorded: %(decision)s.", decision=word_key("decision", result.outcome or "go")
    )


def _review_context(view: ProjectView, spec: Definition, gate: Gate) -> dict[str, Any]:
    gates = {g["gate"]: g for g in view.next_gates}
    criteria = gates.get(gate.key, {"requires": []})["requires"]
    stage, p = view.project["stage"], view.project
    return {
        "view": view,
        "p": view.project,
        "spec": spec,
        "gate": gate,
        "requires": [(c["met"], describe_requirement(c, spec, stage)) for c in criteria],
        "fields": [(f, view.project["fields"].get(f.key)) for f in spec.fields],
        "already_voted": any(v["voter_id"] == actor().id for v in view.votes),
        "decision_help": DECISION_HELP,
        "changes": _changes(view, spec, gate),
        # the project room: requests for information of this review, and the form to ask one
        "questions": [
            q
            for q in workflow.project_questions(current_workflow(), p["id"])
            if q["review_id"] == p["pending_review_id"]
        ],
        "question_form": QuestionForm(formdata=None),
    }


def _changes(view: ProjectView, spec: Definition, gate: Gate) -> Any:
    """The project's changes since this gate last decided on it, each with its wording."""
    p = view.project
    found = workflow.changes_since_last_review(
        current_workflow(), p["id"], gate.key, p["pending_review_id"]
    )
    if found is None:
        return None
    items, more = found
    return [(e, describe_event(e, spec)) for e in items], more
