"""The project room on the project page: the discussion (with the owner's answer forms for
requests for information), the follow-ups of a conditional go, and the gatekeeper's question
form on the review page (SPEC §5). Each form is a POST making one engine call, then a flash
and a redirect back; the engine's refusals become flashes in :mod:`webapp.errors`.

``room_panel(view)`` gathers what ``projects/_discussion.html`` and
``projects/_follow_ups.html`` show, so the project page needs only the two includes.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

import workflow
from webapp.extensions import current_workflow
from webapp.guards import parse_id, project_version
from webapp.helpers import actor
from webapp.projects import bp
from webapp.validators import Length
from workflow import ProjectView

#: comments on one page of the thread
PER_PAGE = 20


class CommentForm(FlaskForm):
    """A post in the discussion, or the owner's answer to a question."""

    body = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(_l("Write something first.")), Length(max=10_000)],
        description=_l("Markdown works. Mention someone with @ and their e-mail address."),
        render_kw={"rows": 4, "maxlength": 10_000},
    )


class QuestionForm(FlaskForm):
    """A gatekeeper's request for information to the owner."""

    text = TextAreaField(
        _l("Question to the owner"),
        validators=[DataRequired(_l("Write the question first.")), Length(max=10_000)],
        description=_l("The review pauses until the owner answers in the discussion."),
        render_kw={"rows": 3, "maxlength": 10_000},
    )


class CloseForm(FlaskForm):
    """Close a follow-up with a note, based on the version the page showed."""

    note = TextAreaField(
        _l("Note"),
        validators=[DataRequired(_l("Say how the condition was met.")), Length(max=5_000)],
        render_kw={"rows": 2, "maxlength": 5_000},
    )
    version = HiddenField(validators=[project_version])

    def expected_version(self) -> int | None:
        return parse_id(str(self.version.data)) if self.version.data else None


@bp.app_template_global()
def room_panel(view: ProjectView) -> dict[str, Any]:
    """What the discussion and follow-up sections of the project page show (read once per
    request: both sections use it)."""
    cached: dict[str, Any] | None = g.get("room_panel")
    if cached is not None and cached["project_id"] == view.project["id"]:
        return cached
    wf, p, me = current_workflow(), view.project, actor()
    wanted = request.args.get("discussion", type=int)
    room = workflow.project_room(
        wf, p["id"], page=wanted if wanted and wanted > 0 else None, per_page=PER_PAGE
    )
    page, questions, follow_ups = room.comments, room.questions, room.follow_ups
    owner = p["owner_id"] == me.id
    g.room_panel = panel = {
        "project_id": p["id"],
        "comments": page,
        "open_questions": [q for q in questions if q["open"]],
        # an answer in the thread shows the question it answers
        "answers": {q["answer_comment_id"]: q for q in questions if q["answer_comment_id"]},
        "may_answer": owner,
        "may_post": p["status"] != "killed",
        "comment_form": CommentForm(formdata=None),
        "follow_ups": follow_ups,
        "open_follow_ups": sum(1 for f in follow_ups if f["closed_at"] is None),
        "may_close": {
            f["id"]: f["closed_at"] is None
            and p["status"] != "killed"
            and (f["responsible_id"] == me.id or me.is_coordinator)
            for f in follow_ups
        },
        "close_form": CloseForm(formdata=None, version=p["version"]),
    }
    return panel


def _flash_errors(form: FlaskForm) -> None:
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")


def _back(pid: int, anchor: str) -> Response:
    return redirect(url_for("projects.show", pid=pid, _anchor=anchor), 303)


@bp.post("/projects/<id:pid>/comments")
def add_comment(pid: int) -> Response:
    """Post in the discussion."""
    form = CommentForm()
    if form.validate_on_submit():
        cid = workflow.add_comment(current_workflow(), actor(), pid, body=form.body.data or "")
        flash(_("Your comment is posted."), "success")
        return _back(pid, f"comment-{cid}")
    _flash_errors(form)
    return _back(pid, "discussion")


@bp.post("/projects/<id:pid>/questions/<id:qid>/answer")
def answer_question(pid: int, qid: int) -> Response:
    """The owner answers a request for information (the answer goes in the thread)."""
    form = CommentForm()
    if form.validate_on_submit():
        cid = workflow.answer_question(
            current_workflow(), actor(), pid, qid, body=form.body.data or ""
        )
        flash(_("Your answer is posted; the gatekeepers are told."), "success")
        return _back(pid, f"comment-{cid}")
    _flash_errors(form)
    return _back(pid, "discussion")


@bp.post("/projects/<id:pid>/questions")
def ask_question(pid: int) -> Response:
    """A gatekeeper of the pending gate asks the owner (from the review page)."""
    form = QuestionForm()
    if form.validate_on_submit():
        workflow.ask_question(current_workflow(), actor(), pid, text=form.text.data or "")
        flash(_("Your question is sent; the review waits for the answer."), "success")
    _flash_errors(form)
    return redirect(url_for("gates.review", pid=pid, _anchor="questions"), 303)


@bp.post("/projects/<id:pid>/follow-ups/<id:fid>/close")
def close_follow_up(pid: int, fid: int) -> Response:
    """The responsible user or a coordinator closes a follow-up with a note."""
    form = CloseForm()
    if form.validate_on_submit():
        workflow.close_follow_up(
            current_workflow(),
            actor(),
            pid,
            fid,
            note=form.note.data or "",
            expected_version=form.expected_version(),
        )
        flash(_("The condition is closed."), "success")
    _flash_errors(form)
    return _back(pid, "follow-ups")
