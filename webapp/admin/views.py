"""Outbox and job runs, for admins: what was mailed, what waits, what the scheduler did."""

from __future__ import annotations

from flask import render_template, request

import workflow
from webapp.admin import bp
from webapp.extensions import current_workflow
from webapp.helpers import actor, page_arg, require

PER_PAGE = 50


@bp.get("/admin/outbox")
def outbox() -> str:
    """Outbox messages, newest first, filtered by status."""
    require(actor().is_admin)
    status = request.args.get("status") or None
    if status not in (None, *workflow.OUTBOX_STATUSES):
        status = None
    wf = current_workflow()
    page = workflow.list_outbox(wf, actor(), status=status, page=page_arg(), per_page=PER_PAGE)
    counts = workflow.outbox_counts(wf, actor())
    return render_template("admin/outbox.html", page=page, counts=counts, status=status)


@bp.get("/admin/jobs")
def jobs() -> str:
    """Recorded runs of the scheduled jobs, newest first."""
    require(actor().is_admin)
    page = workflow.list_job_runs(current_workflow(), actor(), page=page_arg(), per_page=PER_PAGE)
    return render_template("admin/jobs.html", page=page)
