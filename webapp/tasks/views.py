"""The My tasks page, where each task links to where it is done, and the menu's count."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

import workflow
from webapp.extensions import current_actor, current_workflow
from webapp.helpers import actor, require, run_form
from webapp.tasks import bp
from webapp.tasks.forms import RemoveSubstituteForm, SubstituteForm

#: how long the menu's count of a user's tasks is reused before it is counted again
COUNT_SECONDS = 60
_counts: dict[int, tuple[float, int]] = {}


def task_url(task: workflow.Task) -> str:
    """Where ``task`` is done: the review for a vote, the project (at its section) else."""
    if task.kind == "vote":
        return url_for("gates.review", pid=task.project_id)
    anchor = {
        "report": "reports",
        "recycled": "feedback",
        "measurement": f"benefit-{task.ref_id}",
        "lesson": "lesson",
        "mention": f"comment-{task.ref_id}",
        "question": f"question-{task.ref_id}",
        "condition": "follow-ups",
    }.get(task.kind)
    return url_for("projects.show", pid=task.project_id, _anchor=anchor)


def _remember(user_id: int, count: int) -> int:
    if len(_counts) > 10_000:  # a bound on the memory; the counts come back as users return
        _counts.clear()
    _counts[user_id] = (time.monotonic() + COUNT_SECONDS, count)
    return count


def task_count() -> int:
    """The number of the user's tasks for the menu, counted at most once a minute per user
    (the My tasks page counts afresh)."""
    who = current_actor()
    if who is None:
        return 0
    cached = _counts.get(who.id)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    return _remember(who.id, len(workflow.my_tasks(current_workflow(), who)))


def task_kind_label(kind: str) -> str:
    """The heading of a task by its kind (a kind without wording of its own says its key)."""
    words = {
        "measurement": _("Benefit measurement due"),
        "lesson": _("Write the lesson learned"),
        "mention": _("You were mentioned"),
        "question": _("The gatekeepers ask for information"),
        "condition": _("Condition to follow up"),
    }
    return words.get(kind) or _("Task: %(kind)s", kind=kind.replace("_", " "))


@bp.get("/tasks")
def mine() -> str:
    """Everything waiting for the user, nearest due day first."""
    me = actor()
    tasks = workflow.my_tasks(current_workflow(), me)
    _remember(me.id, len(tasks))
    return render_template(
        "tasks/mine.html",
        tasks=tasks,
        task_url=task_url,
        task_kind_label=task_kind_label,
        today=current_workflow().today(),
    )


@bp.route("/settings/substitute", methods=["GET", "POST"])
def substitute() -> ResponseReturnValue:
    """A gatekeeper names (or removes) the substitute who votes in their group meanwhile."""
    me, wf = actor(), current_workflow()
    require(me.is_gatekeeper)
    form = SubstituteForm()
    if form.validate_on_submit():
        try:
            chosen = workflow.get_actor(wf, email=form.email.data or "")
        except workflow.NotFound:
            form.email.errors = [*form.email.errors, _("No active user has this email.")]
        else:
            named = run_form(
                form,
                workflow.set_substitute,
                wf,
                me,
                user_id=chosen.id,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
            )
            if named:
                flash(_("%(name)s is your substitute.", name=named["name"]), "success")
                return redirect(url_for("tasks.substitute"))
    current = workflow.substitute_of(wf, me)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "tasks/substitute.html", form=form, current=current, remove=RemoveSubstituteForm()
    ), status


@bp.post("/settings/substitute/remove")
def remove_substitute() -> Response:
    """End the gatekeeper's substitute at once."""
    require(actor().is_gatekeeper)
    if RemoveSubstituteForm().validate_on_submit():
        workflow.remove_substitute(current_workflow(), actor())
        flash(_("Your substitute is removed."), "success")
    return redirect(url_for("tasks.substitute"))
