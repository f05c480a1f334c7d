"""The admin's outbox and job-run pages: what they show, and who may see them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import workflow
from workflow.store.pipeline import Mail, queue_mail

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def queue(wf, count):
    with wf.db.write() as conn:
        queue_mail(
            conn,
            [
                Mail(None, f"user{i}@example.no", "nb", f"Melding {i}", "Tekst\n")
                for i in range(count)
            ],
            now=NOW,
        )


@pytest.fixture
def admin(create_user):
    """An admin user."""
    return create_user("admin", language="en")


def test_the_outbox_shows_pending_mail_with_why_it_was_not_sent(wf, login, admin):
    queue(wf, 1)
    workflow.deliver(wf, None, now=NOW, worker_id="w1")

    page = login(admin).text("/admin/outbox")

    assert "Melding 0" in page
    assert "user0@example.no" in page
    assert "not sent: SAMSPILL_SMTP_URL is not set" in page
    assert "Waiting (1)" in page


def test_the_outbox_is_paginated_and_filtered_by_status(wf, login, admin):
    queue(wf, 55)
    browser = login(admin)

    second = browser.text("/admin/outbox?page=2")
    sent = browser.text("/admin/outbox?status=sent")

    assert "Page 2 of 2" in second
    assert "Melding 4<" in second
    assert "Melding 5<" not in second
    assert "No messages." in sent


def test_job_runs_show_what_each_run_did(wf, login, admin):
    workflow.run_all(wf, NOW, None)

    page = login(admin).text("/admin/jobs")

    assert "Stall check" in page
    assert "Deadline reminders" in page
    assert "Mail delivery" in page
    assert "queued: 0" in page
    assert "SAMSPILL_SMTP_URL is not set: nothing was sent." in page


@pytest.mark.parametrize("url", ["/admin/outbox", "/admin/jobs"])
@pytest.mark.parametrize("role", ["owner", "gatekeeper", "coordinator"])
def test_only_admins_see_the_admin_pages(login, create_user, url, role):
    user = create_user(role, group="kommune" if role == "gatekeeper" else None)

    response = login(user).get(url)

    assert response.status_code == 403


def test_the_outbox_lists_the_newest_mail_first_whatever_order_it_was_queued_in(wf, login, admin):
    with wf.db.write() as conn:
        queue_mail(conn, [Mail(None, "a@example.no", "nb", "Nyeste", "T\n")], now=NOW)
        queue_mail(
            conn,
            [Mail(None, "b@example.no", "nb", "Eldste", "T\n")],
            now=datetime(2027, 1, 1, 9, 0, tzinfo=UTC),
        )

    page = login(admin).text("/admin/outbox")

    assert page.index("Nyeste") < page.index("Eldste")
