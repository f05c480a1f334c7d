"""The calls' pages, through the Flask test client, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

import workflow
from tests.web.api_fixtures import both_databases  # noqa: F401  (the `db` fixture)
from workflow.store.tables import applications

OSLO = ZoneInfo("Europe/Oslo")
NBSP = "\u00a0"
FORM = {
    "funder": "Norges forskningsråd",
    "title_nb": "Innovasjonsprosjekt i offentlig sektor 2027",
    "title_en": "Innovation project for the public sector 2027",
    "url": "https://www.forskningsradet.no/",
    "opens_on": "2027-08-12",
    "deadline": "2027-09-22",
    "deadline_time": "13:00",
    "decision_expected_on": "2027-12-15",
    "earliest_start": "2028-02-01",
    "latest_start": "2028-05-01",
    "latest_end": "2031-04-30",
    "min_amount": "3000000",
    "max_amount": "16000000",
    "max_support_rate_public": "50",
    "max_support_rate_research": "37,5",
    "required_partners_research": "1",
    "required_partners_public": "1",
    "required_attachments": "project_description, partner_information",
}


def make_call(wf, **changes):
    values = {
        "funder": "Norges forskningsråd",
        "title": {"nb": "Innovasjonsprosjekt 2027", "en": "Innovation project 2027"},
        "opens_on": date(2027, 8, 12),
        "deadline": datetime(2027, 9, 22, 13, 0, tzinfo=OSLO),
        "min_amount": 3_000_000,
        "max_amount": 16_000_000,
        "max_support_rate": {"public": 0.5, "research": 0.375},
        "required_partners": {"research": 1, "public": 1},
        "required_attachments": ["project_description"],
    }
    values.update(changes)
    return workflow.create_call(wf, None, **values)


def test_a_coordinator_registers_and_edits_a_call(login, wf, coordinator):
    b = login(coordinator)
    assert b.get("/calls/new").status_code == 200
    response = b.post("/calls/new", FORM)
    assert response.status_code == 303, response.get_data(as_text=True)
    cid = int(response.headers["Location"].rsplit("/", 1)[1])
    call = workflow.get_call(wf, cid)
    assert call["deadline"] == datetime(2027, 9, 22, 11, 0, tzinfo=UTC)
    assert call["max_support_rate"] == {"public": 0.5, "research": 0.375}
    assert call["required_partners"] == {"public": 1, "research": 1}
    assert call["title"]["en"] == FORM["title_en"]

    edit = b.get(f"/calls/{cid}/edit").get_data(as_text=True)
    assert 'value="37.5"' in edit
    assert 'value="50"' in edit
    assert 'value="13:00"' in edit
    changed = {**FORM, "max_amount": "12000000", "max_support_rate_research": ""}
    assert b.post(f"/calls/{cid}/edit", changed).status_code == 303
    call = workflow.get_call(wf, cid)
    assert call["max_amount"] == 12_000_000
    assert call["max_support_rate"] == {"public": 0.5}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"funder": ""}, "funder"),
        ({"title_nb": ""}, "title_nb"),
        ({"url": "ftp://x"}, "url"),
        ({"opens_on": "12.08.2027"}, "opens_on"),
        ({"deadline": "2027-08-01"}, "deadline"),
        ({"latest_start": "2028-01-01"}, "latest_start"),
        ({"latest_end": "2028-03-01"}, "latest_end"),
        ({"max_amount": "1000"}, "max_amount"),
        ({"min_amount": "-5"}, "min_amount"),
        ({"max_support_rate_public": "150"}, "max_support_rate_public"),
        ({"required_partners_research": "101"}, "required_partners_research"),
        ({"required_attachments": "Prosjektbeskrivelse"}, "required_attachments"),
    ],
)
def test_bad_input_is_a_form_error_on_its_field(login, coordinator, change, field):
    response = login(coordinator).post("/calls/new", {**FORM, **change})
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)


def test_owners_read_calls_but_cannot_register_or_edit(login, wf, owner):
    cid = make_call(wf)
    b = login(owner)
    assert b.get("/calls").status_code == 200
    assert b.get(f"/calls/{cid}").status_code == 200
    assert b.get("/calls/new").status_code == 403
    assert b.post("/calls/new", FORM).status_code == 403
    assert b.post(f"/calls/{cid}/edit", FORM).status_code == 403
    assert 'href="/calls/new"' not in b.get("/calls").get_data(as_text=True)
    assert b.get("/calls/999999").status_code == 404


def test_the_menu_links_the_calls_for_everyone(login, owner):
    assert 'href="/calls"' in login(owner).get("/projects/mine").get_data(as_text=True)


def test_the_list_groups_open_upcoming_and_closed_and_filters_by_funder(login, wf, owner):
    # the workflow's clock reads 2 November 2026
    make_call(
        wf,
        title={"nb": "Åpen utlysning", "en": "Open call"},
        opens_on=date(2026, 10, 1),
        deadline=datetime(2026, 12, 1, 13, 0, tzinfo=OSLO),
    )
    make_call(wf, funder="Regionalt forskningsfond Trøndelag", title={"nb": "Framtidig utlysning"})
    make_call(
        wf,
        title={"nb": "Lukket utlysning", "en": "Closed call"},
        opens_on=date(2025, 8, 13),
        deadline=datetime(2025, 9, 24, 13, 0, tzinfo=OSLO),
    )
    b = login(owner)
    page = b.get("/calls").get_data(as_text=True)
    first, second = page.index("Åpen utlysning"), page.index("Framtidig utlysning")
    assert first < second < page.index("Lukket utlysning")
    assert page.index(">Åpen</h2>") < page.index(">Kommende</h2>") < page.index(">Lukket</h2>")
    assert "24. sep. 2025 kl. 13:00" in page
    filtered = b.get("/calls?funder=trøndelag").get_data(as_text=True)
    assert "Framtidig utlysning" in filtered
    assert "Åpen utlysning" not in filtered
    only_open = b.get("/calls?phase=open").get_data(as_text=True)
    assert "Åpen utlysning" in only_open
    assert "Lukket utlysning" not in only_open
    assert b.get("/calls?phase=nonsense&page=x").status_code == 200


def test_the_detail_words_dates_amounts_and_rates_in_bokmal(login, wf, owner, ready_project):
    cid = make_call(
        wf,
        decision_expected_on=date(2027, 12, 15),
        earliest_start=date(2028, 2, 1),
        latest_start=date(2028, 5, 1),
        latest_end=date(2031, 4, 30),
    )
    with wf.db.write() as conn:
        conn.execute(
            insert(applications).values(
                project_id=ready_project, call_id=cid, status="submitted", applied_amount=1_250_000
            )
        )
    page = login(owner).get(f"/calls/{cid}").get_data(as_text=True)
    for text in (
        "Innovasjonsprosjekt 2027",
        "12. aug. 2027",
        "22. sep. 2027 kl. 13:00",
        "15. des. 2027",
        f"3{NBSP}000{NBSP}000{NBSP}kr",
        f"16{NBSP}000{NBSP}000{NBSP}kr",
        f"1{NBSP}250{NBSP}000{NBSP}kr",
        f"50{NBSP}%",
        f"37,5{NBSP}%",
        "Offentlig virksomhet",
        "Prosjektbeskrivelse",
        "Sendt inn",
    ):
        assert text in page, text
    assert workflow.get_project(wf, ready_project).project["title"] in page


def test_the_detail_in_english(create_user, login, wf):
    reader = create_user("owner", language="en")
    cid = make_call(wf)
    page = login(reader).get(f"/calls/{cid}").get_data(as_text=True)
    for text in (
        "Innovation project 2027",
        "22 Sep 2027, 13:00",
        f"NOK{NBSP}3,000,000",
        "50%",
        "37.5%",
        "Public sector",
        "Project description",
    ):
        assert text in page, text


def test_a_post_without_the_csrf_token_registers_nothing(login, wf, coordinator):
    b = login(coordinator)
    b.get("/calls")
    response = b.client.post("/calls/new", data=FORM)
    assert response.status_code == 400
    assert workflow.list_calls(wf).total == 0
