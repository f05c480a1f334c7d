"""Header injection through mail: text reaching a header is one line, and one message that
cannot be sent never stops the others (SPEC §7), against a real aiosmtpd server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

import workflow
from workflow import InvalidInput
from workflow.jobs.mail.outbox import PARK_AFTER
from workflow.store.pipeline import Mail, queue_mail
from workflow.store.tables import outbox, projects

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

    assert "Satt på vent (1)" in page
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


LINE_BREAKS = ["Ny\r\nBcc: victim@example.no", "Ny\nidé", "Ny\tidé", "Ny\x85idé", "Ny\u2028idé"]


@pytest.mark.parametrize("title", LINE_BREAKS)
def test_a_title_with_a_line_break_or_control_character_is_refused(wf, owner, title):
    with pytest.raises(InvalidInput) as refused:
        workflow.create_project(wf, owner, definition="lab", title=title)

    assert refused.value.fields["title"].code == "not_one_line"


def test_an_edited_title_with_a_line_break_is_refused(wf, owner):
    pid = workflow.create_project(wf, owner, definition="lab", title="Ny idé")

    with pytest.raises(InvalidInput) as refused:
        workflow.update_project(wf, owner, pid, title="Ny\r\nBcc: victim@example.no")

    assert refused.value.fields["title"].code == "not_one_line"


def test_user_and_organisation_names_with_a_line_break_are_refused(wf):
    with pytest.raises(InvalidInput) as user:
        workflow.add_user(
            wf, email="eve@example.no", name="Eve\r\nBcc: x", role="owner", password="p" * 12
        )
    with pytest.raises(InvalidInput) as organisation:
        workflow.add_organisation(wf, None, name="Org\nBcc: x", type="research")

    assert user.value.fields["name"].code == "not_one_line"
    assert organisation.value.fields["name"].code == "not_one_line"


def test_the_api_refuses_a_title_with_a_line_break_naming_the_field(api, owner):
    response = api.as_(owner).post(
        "/api/v1/projects", json={"definition": "lab", "title": "Ny\r\nBcc: victim@example.no"}
    )

    assert response.status_code == 400
    assert "title" in response.get_json()["error"]["fields"]


def test_the_edit_form_says_in_bokmal_why_a_title_with_a_line_break_is_refused(wf, login, owner):
    pid = workflow.create_project(wf, owner, definition="lab", title="Ny idé")
    browser = login(owner)
    browser.get(f"/projects/{pid}/edit")

    response = browser.post(
        f"/projects/{pid}/edit", {"title": "Ny\r\nBcc: victim@example.no", "version": "1"}
    )

    assert response.status_code == 400
    assert "Må være én linje, uten linjeskift eller kontrolltegn." in response.get_data(
        as_text=True
    )
    assert workflow.get_project(wf, pid).project["title"] == "Ny idé"
