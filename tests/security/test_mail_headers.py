"""Header injection through mail: text reaching a header is one line, and one message that
cannot be sent never stops the others (SPEC §7), against a real aiosmtpd server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

import workflow
from workflow.jobs.mail.outbox import PARK_AFTER, outbox
from workflow.store.pipeline import Mail, projects, queue_mail

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
POISONED = "poison@example.no\r\nBcc: victim@example.no"


def queue(wf, *addresses):
    """Queue one plain message to each address, in this order."""
    mail = [
        Mail(None, address, "nb", f"Melding {i}", f"Innhold {i}\n")
        for i, address in enumerate(addresses)
    ]
    with wf.db.write() as conn:
        queue_mail(conn, mail, now=NOW)


def deliver_until_done(wf, smtp_url):
    """Run delivery as the scheduler would, an hour apart, until nothing is left to try."""
    for hour in range(10):
        report = workflow.deliver(wf, smtp_url, now=NOW + timedelta(hours=hour), worker_id="w1")
        if not report.attempted:
            return hour
    raise AssertionError("delivery never finished")


def statuses(wf):
    with wf.db.read() as conn:
        return conn.execute(
            select(outbox.c.recipient_email, outbox.c.status, outbox.c.attempts).order_by(
                outbox.c.id
            )
        ).all()


def test_one_poisoned_message_is_parked_and_the_fifty_behind_it_are_delivered(wf, smtp):
    queue(wf, POISONED, *(f"user{i}@example.no" for i in range(50)))

    deliver_until_done(wf, smtp.url)

    assert len(smtp.messages) == 50
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        f"user{i}@example.no" for i in range(50)
    )
    assert all("victim" not in str(rcpts) for _, rcpts in smtp.inbox.envelopes)
    rows = statuses(wf)
    assert rows[0] == (POISONED, "parked", PARK_AFTER)
    assert {status for _, status, _ in rows[1:]} == {"sent"}


def test_the_admin_outbox_page_shows_the_parked_message_with_its_error(wf, smtp, login, admin):
    queue(wf, POISONED, "user@example.no")
    deliver_until_done(wf, smtp.url)

    page = login(admin).text("/admin/outbox?status=parked")

    assert "Parkert (1)" in page
    assert "Melding 0" in page
    assert "Melding 1" not in page
    assert "the recipient address holds a line break or control character" in page


def test_a_title_with_line_breaks_reaches_the_subject_as_one_line(
    wf, smtp, owner, kommune, ready_project
):
    # stored before titles were checked at input (a new one with a line break is refused)
    title = "Digital\r\nBcc: victim@example.no\r\n\r\nforged body"
    with wf.db.write() as conn:
        conn.execute(update(projects).where(projects.c.id == ready_project).values(title=title))
    workflow.submit_project(wf, owner, ready_project)

    deliver_until_done(wf, smtp.url)

    [mail] = smtp.messages
    assert mail["Subject"] == "Til vurdering: Digital  Bcc: victim@example.no    forged body"
    assert mail["Bcc"] is None
    assert smtp.inbox.envelopes[0][1] == [kommune.email]
