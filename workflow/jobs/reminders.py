"""Reminders queued by the daily checks: deadlines from dated fields, and review digests.

Both are idempotent, so re-runs and catch-up after downtime queue each reminder once:

- A deadline reminder's dedupe key names the project, the deadline, the due date and the
  reminder (``deadline:<project>:<key>:<due>:<days before>``). A run queues only the
  nearest reminder that is due, so a run after days of downtime sends one mail, not each
  one it missed. A moved due date is a new deadline with reminders of its own.
- A review digest lists, for each gatekeeper, the reviews waiting for their vote longer
  than N days; each review is in one digest round only (``gate_reviews.reminded_at``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, exists, or_, select, update

from workflow.definitions import ANY_GROUP, Deadline, Definition
from workflow.domain.lifecycle import IN_REVIEW, OPEN_STATUSES
from workflow.jobs.mail.texts import render
from workflow.runtime import Workflow
from workflow.store.pipeline import Mail, queue_unique
from workflow.store.tables import projects, questions, reviews, users, votes

#: projects read per round trip, and reminders written per transaction
BATCH = 500

_DUE_FORMAT = {"nb": "%d.%m.%Y", "en": "%Y-%m-%d"}
_DIGEST_ITEM = {
    "nb": "– {title} ({gate}, venter i {days} dager)\n  {url}",
    "en": "- {title} ({gate}, waiting {days} days)\n  {url}",
}


@dataclass(frozen=True)
class ReminderReport:
    """What one reminder run did: messages queued, and projects or reviews looked at."""

    queued: int
    examined: int

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the job record."""
        return {"queued": self.queued, "examined": self.examined}


def remind_deadlines(wf: Workflow, *, as_of: datetime, zone: ZoneInfo) -> ReminderReport:
    """Queue each deadline reminder that is due on ``as_of``'s date (in ``zone``) to the owner.

    Streams open projects of definitions with deadlines, ``BATCH`` rows at a time, in the
    stages the deadlines apply to.
    """
    today = as_of.astimezone(zone).date()
    queued = examined = 0
    mail: list[Mail] = []
    # one query per definition version: each can use the (definition, stage) index
    for scope in _deadline_scopes(wf, today):
        with wf.db.read() as conn:
            result = conn.execution_options(yield_per=BATCH).execute(_candidates(scope))
            for partition in result.partitions():
                for row in partition:
                    spec = wf.catalog.get(row.definition_key, row.definition_version)
                    mail.extend(_deadline_mail(wf, row, spec, today))
                examined += len(partition)
                if len(mail) >= BATCH:
                    queued += _write(wf, mail, now=as_of)
                    mail = []
    queued += _write(wf, mail, now=as_of)
    return ReminderReport(queued, examined)


def _candidates(scope: Any) -> Any:
    return (
        select(
            projects.c.id,
            projects.c.definition_key,
            projects.c.definition_version,
            projects.c.title,
            projects.c.stage,
            projects.c.fields,
            projects.c.owner_id,
            users.c.email,
            users.c.language,
        )
        .join(users, users.c.id == projects.c.owner_id)
        .where(projects.c.status.in_(OPEN_STATUSES), users.c.is_active.is_(True), scope)
        .order_by(projects.c.id)
    )


def _write(wf: Workflow, mail: list[Mail], *, now: datetime) -> int:
    if not mail:
        return 0
    with wf.db.write() as conn:
        return queue_unique(conn, mail, now=now)


def queue_in_batches(wf: Workflow, mail: list[Mail], *, now: datetime) -> int:
    """Queue ``mail`` (each once, by its dedupe key), ``BATCH`` messages a transaction;
    returns how many were new."""
    return sum(_write(wf, mail[i : i + BATCH], now=now) for i in range(0, len(mail), BATCH))


def _deadline_scopes(wf: Workflow, today: date) -> list[Any]:
    """Per definition version, a filter for projects that may have a reminder due ``today``:
    in a deadline's stages, with its date field inside the reminder window.

    The window test runs in the database on the JSON field (ISO dates compare as text), so
    the check reads only candidates, not every open project.
    """
    clauses = []
    for (key, version), spec in wf.catalog.versions():
        windows = []
        for d in spec.deadlines:
            # due = field + offset_days; some reminder is due while today <= due <= today + max
            earliest = today - timedelta(days=d.offset_days)
            latest = earliest + timedelta(days=max(d.remind_days_before, default=0))
            value = projects.c.fields[d.field].as_string()
            window = value.between(earliest.isoformat(), latest.isoformat())
            windows.append(and_(window, projects.c.stage.in_(d.stages)) if d.stages else window)
        if not windows:
            continue
        same = [projects.c.definition_key == key, projects.c.definition_version == version]
        if all(d.stages for d in spec.deadlines):
            stages = sorted({s for d in spec.deadlines for s in d.stages})
            same.append(projects.c.stage.in_(stages))
        clauses.append(and_(*same, or_(*windows)))
    return clauses


def due_date(deadline: Deadline, fields: dict[str, Any]) -> date | None:
    """The date ``deadline`` is due for a project with ``fields``, or None if unset."""
    raw = fields.get(deadline.field)
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw) + timedelta(days=deadline.offset_days)
    except ValueError:
        return None


def nearest_reminder(deadline: Deadline, due: date, today: date) -> int | None:
    """The reminder (days before ``due``) to send on ``today``: the nearest one that is due.

    None when the deadline has passed or no reminder is due yet.
    """
    left = (due - today).days
    candidates = [d for d in deadline.remind_days_before if d >= left]
    return min(candidates) if left >= 0 and candidates else None


def _deadline_mail(wf: Workflow, row: Any, spec: Definition, today: date) -> list[Mail]:
    mail = []
    for deadline in spec.deadlines:
        if deadline.stages and row.stage not in deadline.stages:
            continue
        due = due_date(deadline, row.fields or {})
        before = None if due is None else nearest_reminder(deadline, due, today)
        if due is None or before is None:
            continue
        lang = row.language
        subject, body = render(
            "deadline",
            lang,
            url=wf.project_url(row.id),
            title=row.title,
            label=deadline.label.get(lang),
            due=due.strftime(_DUE_FORMAT.get(lang, "%Y-%m-%d")),
            days=(due - today).days,
        )
        mail.append(
            Mail(
                row.owner_id,
                row.email,
                lang,
                subject,
                body,
                row.id,
                dedupe_key=f"deadline:{row.id}:{deadline.key}:{due.isoformat()}:{before}",
            )
        )
    return mail


def remind_reviewers(wf: Workflow, *, as_of: datetime, days: int) -> ReminderReport:
    """Send each gatekeeper one digest of the reviews waiting for their vote over ``days`` days
    (a review paused by an open request for information is not waiting for them).

    A review goes into one digest round only; gatekeepers who voted, or own the project,
    are not reminded of it.
    """
    cutoff = as_of - timedelta(days=days)
    with wf.db.write() as conn:
        query = (
            select(
                reviews.c.id,
                reviews.c.gate_key,
                reviews.c.submitted_at,
                projects.c.id.label("project_id"),
                projects.c.title,
                projects.c.definition_key,
                projects.c.definition_version,
                projects.c.owner_id,
            )
            .join(projects, projects.c.pending_review_id == reviews.c.id)
            .where(
                projects.c.status == IN_REVIEW,
                reviews.c.decided_at.is_(None),
                reviews.c.reminded_at.is_(None),
                reviews.c.submitted_at < cutoff,
                # a review paused by an open request for information waits for the owner
                ~exists().where(
                    questions.c.review_id == reviews.c.id, questions.c.answered_at.is_(None)
                ),
            )
            .order_by(reviews.c.submitted_at, reviews.c.id)
        )
        if not wf.db.is_sqlite:  # a concurrent run waits, then finds them reminded
            query = query.with_for_update(of=reviews)
        waiting = list(conn.execute(query))
        if not waiting:
            return ReminderReport(0, 0)
        ids = [r.id for r in waiting]
        per_user = _waiting_per_gatekeeper(wf, conn, waiting)
        mail = [_digest_mail(wf, user, items, as_of, days) for user, items in per_user.items()]
        conn.execute(update(reviews).where(reviews.c.id.in_(ids)).values(reminded_at=as_of))
        return ReminderReport(queue_unique(conn, mail, now=as_of), len(waiting))


def _waiting_per_gatekeeper(
    wf: Workflow, conn: Connection, waiting: list[Any]
) -> dict[Any, list[Any]]:
    ids = [r.id for r in waiting]
    voted = {
        (review_id, voter_id)
        for review_id, voter_id in conn.execute(
            select(votes.c.review_id, votes.c.voter_id).where(votes.c.review_id.in_(ids))
        )
    }
    gatekeepers = conn.execute(
        select(users.c.id, users.c.email, users.c.language, users.c.gatekeeper_group)
        .where(users.c.role == "gatekeeper", users.c.is_active.is_(True))
        .order_by(users.c.id)
    ).all()
    per_user: dict[Any, list[Any]] = defaultdict(list)
    for review in waiting:
        quorum = (
            wf.catalog.get(review.definition_key, review.definition_version)
            .gate(review.gate_key)
            .quorum
        )
        for user in gatekeepers:
            may_vote = ANY_GROUP in quorum or user.gatekeeper_group in quorum
            if may_vote and user.id != review.owner_id and (review.id, user.id) not in voted:
                per_user[user].append(review)
    return per_user


def _digest_mail(wf: Workflow, user: Any, items: list[Any], as_of: datetime, days: int) -> Mail:
    lang = user.language
    lines = []
    for review in items:
        spec = wf.catalog.get(review.definition_key, review.definition_version)
        lines.append(
            _DIGEST_ITEM.get(lang, _DIGEST_ITEM["nb"]).format(
                title=review.title,
                gate=spec.gate(review.gate_key).title.get(lang),
                days=(as_of - review.submitted_at).days,
                url=wf.project_url(review.project_id),
            )
        )
    subject, body = render(
        "review_digest", lang, count=len(items), days=days, items="\n".join(lines)
    )
    ids = ",".join(str(r.id) for r in items)
    digest = hashlib.sha256(ids.encode()).hexdigest()[:16]
    return Mail(
        user.id,
        user.email,
        lang,
        subject,
        body,
        items[0].project_id if len(items) == 1 else None,
        dedupe_key=f"review_digest:{user.id}:{digest}",
    )
