"""What the scheduler and the outbox did, for admins: outbox messages and job runs, paged."""

from __future__ import annotations

from sqlalchemy import func, select

from workflow.errors import InvalidInput, PermissionDenied, Problem
from workflow.queries.projects import MAX_PER_PAGE, Page
from workflow.runtime import Actor, Workflow
from workflow.store.tables import job_runs, outbox

OUTBOX_STATUSES = ("pending", "sent", "failed", "parked")


def _check(actor: Actor, page: int, per_page: int) -> None:
    if not actor.is_admin:
        raise PermissionDenied("admins_only")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            {
                "page": Problem("number_from", {"min": 1}),
                "per_page": Problem("number_between", {"min": 1, "max": MAX_PER_PAGE}),
            }
        )


def list_outbox(
    wf: Workflow, actor: Actor, *, status: str | None = None, page: int = 1, per_page: int = 50
) -> Page:
    """Outbox messages, newest first, optionally of one status (admins only).

    Raises:
        PermissionDenied: the actor is not an admin.
        InvalidInput: an unknown status or a page out of range.
    """
    _check(actor, page, per_page)
    if status is not None and status not in OUTBOX_STATUSES:
        raise InvalidInput({"status": Problem("not_one_of", {"choices": list(OUTBOX_STATUSES)})})
    where = [] if status is None else [outbox.c.status == status]
    query = (
        select(
            outbox.c.id,
            outbox.c.status,
            outbox.c.recipient_email,
            outbox.c.language,
            outbox.c.subject,
            outbox.c.project_id,
            outbox.c.attempts,
            outbox.c.created_at,
            outbox.c.next_attempt_at,
            outbox.c.sent_at,
            outbox.c.last_error,
        )
        .where(*where)
        # newest first by when queued: reminders and demo mail are not queued in id order
        .order_by(outbox.c.created_at.desc(), outbox.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with wf.db.read() as conn:
        total = conn.execute(select(func.count()).select_from(outbox).where(*where)).scalar_one()
        items = [dict(r) for r in conn.execute(query).mappings()]
    return Page(items, total, page, per_page)


def outbox_counts(wf: Workflow, actor: Actor) -> dict[str, int]:
    """How many outbox messages there are of each status (admins only)."""
    _check(actor, 1, 1)
    with wf.db.read() as conn:
        found: dict[str, int] = dict(
            conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status)).all()
        )
    return {s: int(found.get(s, 0)) for s in OUTBOX_STATUSES}


def list_job_runs(wf: Workflow, actor: Actor, *, page: int = 1, per_page: int = 50) -> Page:
    """Recorded job runs, newest first (admins only).

    Raises:
        PermissionDenied: the actor is not an admin.
    """
    _check(actor, page, per_page)
    query = (
        select(
            job_runs.c.id,
            job_runs.c.job,
            job_runs.c.started_at,
            job_runs.c.finished_at,
            job_runs.c.as_of,
            job_runs.c.ok,
            job_runs.c.summary,
        )
        .order_by(job_runs.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with wf.db.read() as conn:
        total = conn.execute(select(func.count()).select_from(job_runs)).scalar_one()
        items = [dict(r) for r in conn.execute(query).mappings()]
    return Page(items, total, page, per_page)
