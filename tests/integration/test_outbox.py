"""Outbox delivery against a real SMTP server: sent once, retried with backoff, never lost."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

import workflow
from workflow.jobs.mail.outbox import CLAIM_FOR, NOT_CONFIGURED, _claim
from workflow.store.pipeline import Mail, queue_mail
from workflow.store.tables import outbox

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def queue(wf, *addresses, now=NOW):
    """Queue one plain message to each address."""
    with wf.db.write() as conn:
        queue_mail(
            conn,
            [
                Mail(None, address, "en", f"Message {i} to {address}", f"Body {i}\n")
                for i, address in enumerate(addresses)
            ],
            now=now,
        )


def rows(wf):
    with wf.db.read() as conn:
        return conn.execute(select(outbox).order_by(outbox.c.id)).mappings().all()


def test_mail_arrives_with_the_recipients_language_and_a_link_to_the_project(
    wf, smtp, create_user, owner, ready_project
):
    kari = create_user("gatekeeper", group="kommune", language="nb")
    nils = create_user("gatekeeper", group="ntnu", language="en")
    workflow.submit_project(wf, owner, ready_project)

    report = workflow.deliver(
        wf, smtp.url, now=NOW, worker_id="w1", mail_from="samspill@kommune.test"
    )

    assert report.sent == 2
    by_recipient = {m["To"]: m for m in smtp.messages}
    assert set(by_recipient) == {kari.email, nils.email}
    link = f"http://samspill.test/projects/{ready_project}"
    nb, en = by_recipient[kari.email], by_recipient[nils.email]
    assert nb["Subject"] == "Til vurdering: Digital hjemmeoppfølging"
    assert nb["Content-Language"] == "nb"
    assert f"Åpne prosjektet: {link}" in nb.get_content()
    assert en["Subject"] == "For review: Digital hjemmeoppfølging"
    assert en["Content-Language"] == "en"
    assert f"Open the project: {link}" in en.get_content()
    assert {m["From"] for m in smtp.messages} == {"samspill@kommune.test"}
    assert [(r["status"], r["sent_at"], r["claimed_until"]) for r in rows(wf)] == [
        ("sent", NOW, None),
        ("sent", NOW, None),
    ]


def test_mail_to_a_server_that_is_down_is_retried_later_and_delivered(wf, smtp):
    queue(wf, "a@example.no", "b@example.no")
    smtp.stop()

    down = workflow.deliver(wf, smtp.url, now=NOW, worker_id="w1")
    error = rows(wf)[0]["last_error"]
    smtp.start()
    too_early = workflow.deliver(wf, smtp.url, now=NOW + timedelta(seconds=30), worker_id="w1")
    later = workflow.deliver(wf, smtp.url, now=NOW + timedelta(minutes=1), worker_id="w1")

    assert (down.sent, down.retrying) == (0, 2)
    assert too_early.attempted == 0
    assert later.sent == 2
    assert sorted(m["To"] for m in smtp.messages) == ["a@example.no", "b@example.no"]
    assert [(r["status"], r["attempts"]) for r in rows(wf)] == [("sent", 1), ("sent", 1)]
    assert error.startswith("cannot reach the mail server")


def test_a_temporary_refusal_is_retried_after_a_growing_backoff(wf, smtp):
    queue(wf, "a@example.no")
    smtp.inbox.busy = 2  # two "451 try again later" answers

    workflow.deliver(wf, smtp.url, now=NOW, worker_id="w1")
    first_retry = rows(wf)[0]["next_attempt_at"]
    workflow.deliver(wf, smtp.url, now=first_retry, worker_id="w1")
    second_retry = rows(wf)[0]["next_attempt_at"]
    report = workflow.deliver(wf, smtp.url, now=second_retry, worker_id="w1")

    assert first_retry == NOW + timedelta(minutes=1)
    assert second_retry == first_retry + timedelta(minutes=2)
    assert report.sent == 1
    assert len(smtp.messages) == 1
    assert rows(wf)[0]["attempts"] == 2


def test_a_recipient_refused_for_good_fails_at_once_and_the_others_are_sent(wf, smtp):
    queue(wf, "gone@example.no", "here@example.no")
    smtp.inbox.unknown.add("gone@example.no")

    report = workflow.deliver(wf, smtp.url, now=NOW, worker_id="w1")

    assert (report.sent, report.failed) == (1, 1)
    gone, here = rows(wf)
    assert gone["status"] == "failed"
    assert "550" in gone["last_error"]
    assert here["status"] == "sent"


def test_a_message_is_given_up_after_the_last_attempt(wf, smtp):
    queue(wf, "a@example.no")
    smtp.stop()

    for minute in range(3):
        workflow.deliver(
            wf, smtp.url, now=NOW + timedelta(hours=minute), worker_id="w1", max_attempts=3
        )

    assert [(r["status"], r["attempts"]) for r in rows(wf)] == [("failed", 3)]


def test_two_concurrent_deliverers_send_each_message_exactly_once(wf, smtp):
    addresses = [f"user{i}@example.no" for i in range(40)]
    queue(wf, *addresses)
    start = threading.Barrier(2)
    reports = {}

    def run(worker):
        start.wait()
        reports[worker] = workflow.deliver(wf, smtp.url, now=NOW, worker_id=worker, batch=4)

    threads = [threading.Thread(target=run, args=(w,)) for w in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(m["To"] for m in smtp.messages) == sorted(addresses)
    assert len({m["Message-ID"] for m in smtp.messages}) == 40
    assert reports["w1"].sent + reports["w2"].sent == 40
    assert {r["status"] for r in rows(wf)} == {"sent"}


def test_a_claimed_message_waits_until_the_claim_runs_out(wf, smtp):
    queue(wf, "a@example.no")
    _claim(wf, now=NOW, worker_id="crashed", batch=10)  # sent, then crashed before marking

    during = workflow.deliver(wf, smtp.url, now=NOW + timedelta(minutes=1), worker_id="w2")
    after = workflow.deliver(wf, smtp.url, now=NOW + CLAIM_FOR + timedelta(1), worker_id="w2")

    assert during.attempted == 0
    assert after.sent == 1


def test_without_an_smtp_url_mail_is_logged_once_and_kept_in_the_outbox(wf, smtp, caplog):
    queue(wf, "a@example.no")
    caplog.set_level(logging.INFO, logger="workflow.jobs.mail.outbox")

    first = workflow.deliver(wf, None, now=NOW, worker_id="w1")
    again = workflow.deliver(wf, None, now=NOW + timedelta(minutes=1), worker_id="w1")
    configured = workflow.deliver(wf, smtp.url, now=NOW + timedelta(minutes=2), worker_id="w1")

    assert (first.logged, again.logged) == (1, 0)
    assert caplog.text.count("Message 0 to a@example.no") == 1
    assert configured.sent == 1
    assert rows(wf)[0]["status"] == "sent"


def test_without_an_smtp_url_the_outbox_row_says_why_it_is_pending(wf):
    queue(wf, "a@example.no")

    workflow.deliver(wf, None, now=NOW, worker_id="w1")

    assert [(r["status"], r["last_error"]) for r in rows(wf)] == [("pending", NOT_CONFIGURED)]
