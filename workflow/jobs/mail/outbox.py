"""Deliver the outbox: send queued mail over SMTP, each message once, none lost.

Messages are queued (``changes.queue_mail``) in the transaction of the change they tell
about; ``deliver`` sends them after commit. A deliverer first *claims* a batch of due rows
for a while (``claimed_by``/``claimed_until``, with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL and ``BEGIN IMMEDIATE`` on SQLite), so two deliverers never take the same row.
A row is marked sent only after the server accepted it, in its own short transaction right
after; a failure counts an attempt and schedules the next one with exponential backoff,
and after ``max_attempts`` (or a permanent 5xx refusal) the row is ``failed``. A message
that breaks the sender itself (it cannot be worded or sent, whatever the error) is tried
``PARK_AFTER`` times and then ``parked`` with its error for an admin; the rest of the batch
goes on either way, so one poisoned row never stops the mail. A crash
between sending and marking leaves the row claimed, so the next runs skip it until the
claim runs out (at-least-once, never twice in normal operation; the Message-ID is stable,
so a receiving server can drop a duplicate).

Without an SMTP URL nothing is sent: each message is logged once and stays pending, with
a note in ``last_error`` that admins see.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, or_, select, update

from workflow.domain.text import one_line
from workflow.jobs.mail.smtp import connect, describe, is_permanent, message
from workflow.runtime import Workflow
from workflow.store.tables import outbox

log = logging.getLogger(__name__)


MAX_ATTEMPTS = 12
#: tries of a message that breaks the sender before it is parked
PARK_AFTER = 3
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
CLAIM_FOR = timedelta(minutes=10)
NOT_CONFIGURED = "not sent: SAMSPILL_SMTP_URL is not set"

_COLUMNS = (
    outbox.c.id,
    outbox.c.recipient_email,
    outbox.c.language,
    outbox.c.subject,
    outbox.c.body,
    outbox.c.attempts,
)


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    parked: int = 0
    #: messages logged instead of sent because no SMTP server is configured
    logged: int = 0
    smtp_configured: bool = True

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the job record."""
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "parked": self.parked,
            "logged": self.logged,
            "smtp_configured": self.smtp_configured,
        }

    @property
    def attempted(self) -> int:
        """How many messages the run handled in any way."""
        return self.sent + self.retrying + self.failed + self.parked + self.logged


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after ``attempts`` failed ones: 1, 2, 4 … minutes, ≤ 6 h."""
    delay: timedelta = BACKOFF_BASE * 2 ** max(attempts - 1, 0)
    return min(delay, BACKOFF_CAP)


def deliver(
    wf: Workflow,
    smtp_url: str | None,
    *,
    now: datetime,
    worker_id: str,
    batch: int = 100,
    mail_from: str = "samspill@localhost",
    max_attempts: int = MAX_ATTEMPTS,
) -> DeliveryReport:
    """Send every due pending message, claiming ``batch`` rows at a time.

    Args:
        wf: the workflow whose outbox to deliver.
        smtp_url: ``smtp://[user:password@]host:port[?starttls=1]`` or ``smtps://…``;
            None logs each message once and leaves it pending.
        now: the current time (aware); what is due and when to retry is counted from it.
        worker_id: names this deliverer in its claims.
        batch: how many rows to claim and send over one SMTP connection.
        mail_from: the sender address.
        max_attempts: after this many failed tries a message is given up as ``failed``.

    Returns:
        How many messages were sent, will be retried, failed for good or were logged.
    """
    if not smtp_url:
        return DeliveryReport(logged=_log_unsent(wf, now=now, batch=batch), smtp_configured=False)
    report = DeliveryReport()
    while True:
        rows = _claim(wf, now=now, worker_id=worker_id, batch=batch)
        if not rows:
            return report
        reachable = _send_batch(
            wf,
            rows,
            smtp_url,
            report,
            now=now,
            worker_id=worker_id,
            mail_from=mail_from,
            max_attempts=max_attempts,
        )
        if not reachable:
            return report  # the server is down: the rest waits for the next run


def _due(now: datetime) -> tuple[Any, ...]:
    return (
        outbox.c.status == "pending",
        outbox.c.next_attempt_at <= now,
        or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
    )


def _claim(wf: Workflow, *, now: datetime, worker_id: str, batch: int) -> list[Row[Any]]:
    """Take up to ``batch`` due rows for this worker until ``now + CLAIM_FOR``."""
    with wf.db.write() as conn:
        due = (
            select(outbox.c.id)
            .where(*_due(now))
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(batch)
        )
        if not wf.db.is_sqlite:  # SQLite's BEGIN IMMEDIATE already keeps others out
            due = due.with_for_update(skip_locked=True)
        ids: list[int] = list(conn.execute(due).scalars())
        if not ids:
            return []
        claimed = conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids), *_due(now))
            .values(claimed_by=worker_id, claimed_until=now + CLAIM_FOR)
            .returning(*_COLUMNS)
        ).all()
    return sorted(claimed, key=lambda r: r.id)


def _send_batch(
    wf: Workflow,
    rows: list[Row[Any]],
    smtp_url: str,
    report: DeliveryReport,
    *,
    now: datetime,
    worker_id: str,
    mail_from: str,
    max_attempts: int,
) -> bool:
    """Send claimed rows over one connection; False if the server could not be reached."""

    def failed(row: Row[Any], error: str, *, permanent: bool = False, broken: bool = False) -> None:
        _failed(
            wf,
            row,
            error,
            report,
            now=now,
            worker_id=worker_id,
            permanent=permanent,
            max_attempts=PARK_AFTER if broken else max_attempts,
            final="parked" if broken else "failed",
        )

    try:
        smtp = connect(smtp_url)
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:
            failed(row, f"cannot reach the mail server: {exc}")
        return False
    with smtp:
        for i, row in enumerate(rows):
            try:
                smtp.send_message(message(row, mail_from=mail_from, now=now))
            except smtplib.SMTPServerDisconnected as exc:
                for rest in rows[i:]:
                    failed(rest, f"the mail server disconnected: {exc}")
                return False
            except (OSError, smtplib.SMTPException) as exc:
                failed(row, describe(exc), permanent=is_permanent(exc))
            except Exception as exc:  # whatever breaks one message, the rest are sent
                failed(row, f"cannot send this message: {type(exc).__name__}: {exc}", broken=True)
            else:
                _finish(wf, row.id, worker_id, status="sent", sent_at=now, last_error=None)
                report.sent += 1
    return True


def _failed(
    wf: Workflow,
    row: Row[Any],
    error: str,
    report: DeliveryReport,
    *,
    now: datetime,
    worker_id: str,
    permanent: bool,
    max_attempts: int,
    final: str,
) -> None:
    attempts = row.attempts + 1
    error = one_line(error)
    to = one_line(row.recipient_email)
    if permanent or attempts >= max_attempts:
        _finish(wf, row.id, worker_id, status=final, attempts=attempts, last_error=error)
        if final == "parked":
            report.parked += 1
        else:
            report.failed += 1
        log.error("mail %s to %s %s for good: %s", row.id, to, final, error)
    else:
        retry_at = now + backoff(attempts)
        _finish(
            wf, row.id, worker_id, attempts=attempts, next_attempt_at=retry_at, last_error=error
        )
        report.retrying += 1
        log.warning(
            "mail %s to %s not sent (%s); retry at %s",
            row.id,
            to,
            error,
            retry_at.isoformat(),
        )


def _finish(wf: Workflow, message_id: int, worker_id: str, **values: Any) -> None:
    """Record the outcome and drop the claim, if the claim is still this worker's."""
    with wf.db.write() as conn:
        conn.execute(
            update(outbox)
            .where(
                outbox.c.id == message_id,
                outbox.c.claimed_by == worker_id,
                outbox.c.status == "pending",
            )
            .values(claimed_until=None, **values)
        )


def _log_unsent(wf: Workflow, *, now: datetime, batch: int) -> int:
    """Log each due message once (no SMTP server is configured); it stays pending."""
    count = 0
    while True:
        with wf.db.write() as conn:
            rows = _mark_logged(conn, now=now, batch=batch)
        for row in rows:
            log.info(
                "mail not sent (SAMSPILL_SMTP_URL is not set) to %s [%s]: %s\n%s",
                one_line(row.recipient_email),
                row.language,
                one_line(row.subject),
                _quoted(row.body),
            )
        count += len(rows)
        if len(rows) < batch:
            return count


def _quoted(body: str) -> str:
    """``body`` with each line behind a ``|``, so no line of it can pass for a log line."""
    return "\n".join("  | " + one_line(line) for line in body.splitlines())


def _mark_logged(conn: Connection, *, now: datetime, batch: int) -> list[Row[Any]]:
    not_logged = or_(outbox.c.last_error.is_(None), outbox.c.last_error != NOT_CONFIGURED)
    ids = select(outbox.c.id).where(*_due(now), not_logged).order_by(outbox.c.id).limit(batch)
    return list(
        conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids.scalar_subquery()), not_logged)
            .values(last_error=NOT_CONFIGURED)
            .returning(*_COLUMNS)
        )
    )
