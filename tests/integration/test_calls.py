"""Funders' calls: their rules, their trail and the open-now filter, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

import workflow
from workflow import InvalidInput, NotFound, PermissionDenied
from workflow.store.tables import applications, call_events

OSLO = ZoneInfo("Europe/Oslo")


def ipo(**changes):
    values = {
        "funder": "Norges forskningsråd",
        "title": {"nb": "Innovasjonsprosjekt i offentlig sektor 2027", "en": "IPO 2027"},
        "url": "https://www.forskningsradet.no/utlysninger/",
        "opens_on": date(2027, 8, 12),
        "deadline": datetime(2027, 9, 22, 13, 0, tzinfo=OSLO),
        "decision_expected_on": date(2027, 12, 15),
        "earliest_start": date(2028, 2, 1),
        "latest_start": date(2028, 5, 1),
        "latest_end": date(2031, 4, 30),
        "min_amount": 3_000_000,
        "max_amount": 16_000_000,
        "max_support_rate": {"public": 0.5, "research": 0.5},
        "required_partners": {"research": 1, "public": 1},
        "required_attachments": ["project_description", "partner_information"],
    }
    values.update(changes)
    return values


def trail(wf, call_id):
    with wf.db.read() as conn:
        rows = conn.execute(
            select(call_events.c.action, call_events.c.actor_id, call_events.c.payload)
            .where(call_events.c.call_id == call_id)
            .order_by(call_events.c.id)
        ).all()
    return [tuple(r) for r in rows]


def test_a_coordinator_registers_a_call_with_every_field(wf, coordinator):
    call_id = workflow.create_call(wf, coordinator, **ipo(funder="  Norges   forskningsråd "))
    call = workflow.get_call(wf, call_id)
    assert call["funder"] == "Norges forskningsråd"
    assert call["deadline"] == datetime(2027, 9, 22, 11, 0, tzinfo=UTC)
    assert call["deadline"].utcoffset() == timedelta(hours=2)  # shown in Oslo time
    assert call["max_support_rate"] == {"public": 0.5, "research": 0.5}
    assert call["required_partners"] == {"public": 1, "research": 1}
    assert call["required_attachments"] == ["project_description", "partner_information"]
    assert call["phase"] == "upcoming"
    assert call["applications"] == {"total": 0, "items": []}
    assert trail(wf, call_id) == [("created", coordinator.id, {"funder": "Norges forskningsråd"})]


BAD = [
    ("funder", {"funder": ""}),
    ("funder", {"funder": "a\nb"}),
    ("funder", {"funder": "x" * 201}),
    ("title", {"title": "IPO"}),
    ("title", {"title": {"nb": "IPO", "de": "IPO"}}),
    ("title.nb", {"title": {"nb": "", "en": "IPO"}}),
    ("title.en", {"title": {"nb": "IPO", "en": "a\tb"}}),
    ("url", {"url": "ftp://example.no"}),
    ("url", {"url": "javascript:alert(1)"}),
    ("opens_on", {"opens_on": "13.08.2027"}),
    ("opens_on", {"opens_on": datetime(2027, 8, 12, tzinfo=UTC)}),
    ("deadline", {"deadline": datetime(2027, 9, 22, 13, 0)}),
    ("deadline", {"deadline": date(2027, 9, 22)}),
    ("deadline", {"deadline": datetime(2027, 8, 11, 23, 0, tzinfo=OSLO)}),
    ("deadline", {"deadline": datetime(1, 1, 1, 0, 0, tzinfo=OSLO)}),
    ("opens_on", {"opens_on": date(9999, 12, 31)}),
    ("decision_expected_on", {"decision_expected_on": date(2027, 9, 1)}),
    ("latest_start", {"latest_start": date(2028, 1, 1)}),
    ("latest_end", {"latest_end": date(2028, 5, 1)}),
    ("min_amount", {"min_amount": -1}),
    ("min_amount", {"min_amount": 1.5}),
    ("max_amount", {"max_amount": True}),
    ("max_amount", {"max_amount": 2_000_000}),
    ("max_support_rate", {"max_support_rate": {"alien": 0.5}}),
    ("max_support_rate", {"max_support_rate": [0.5]}),
    ("max_support_rate.public", {"max_support_rate": {"public": 1.5}}),
    ("max_support_rate.public", {"max_support_rate": {"public": float("nan")}}),
    ("max_support_rate.public", {"max_support_rate": {"public": "0.5"}}),
    ("required_partners", {"required_partners": {"university": 1}}),
    ("required_partners.research", {"required_partners": {"research": 0}}),
    ("required_partners.research", {"required_partners": {"research": 101}}),
    ("required_attachments", {"required_attachments": ["Project description"]}),
    ("required_attachments", {"required_attachments": "cv"}),
]


@pytest.mark.parametrize(("field", "change"), BAD, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD)])
def test_each_bad_field_is_named(wf, coordinator, field, change):
    with pytest.raises(InvalidInput) as caught:
        workflow.create_call(wf, coordinator, **ipo(**change))
    assert field in caught.value.fields


def test_the_deadline_may_fall_on_the_opening_day_and_optional_dates_may_be_left_out(
    wf, coordinator
):
    call_id = workflow.create_call(
        wf,
        coordinator,
        funder="RFF Trøndelag",
        title={"nb": "Kvalifiseringsprosjekt"},
        opens_on=date(2027, 3, 1),
        deadline=datetime(2027, 3, 1, 13, 0, tzinfo=OSLO),
    )
    call = workflow.get_call(wf, call_id)
    assert call["title"] == {"nb": "Kvalifiseringsprosjekt", "en": ""}
    assert call["max_support_rate"] == {}
    assert call["min_amount"] is None


def test_owners_and_gatekeepers_cannot_register_or_change_calls(wf, owner, kommune, coordinator):
    for actor in (owner, kommune):
        with pytest.raises(PermissionDenied):
            workflow.create_call(wf, actor, **ipo())
    call_id = workflow.create_call(wf, coordinator, **ipo())
    with pytest.raises(PermissionDenied):
        workflow.update_call(wf, owner, call_id, funder="Meg")
    assert workflow.get_call(wf, call_id)["funder"] == "Norges forskningsråd"


def test_admins_and_the_demo_may_write(wf, admin):
    assert workflow.create_call(wf, admin, **ipo())
    assert workflow.create_call(wf, None, **ipo())


def test_a_partial_update_changes_only_what_is_given_and_leaves_a_trail(wf, coordinator, admin):
    call_id = workflow.create_call(wf, coordinator, **ipo())
    changed = workflow.update_call(
        wf, admin, call_id, max_amount=12_000_000, url="https://example.no/ipo"
    )
    assert changed == ["max_amount", "url"]
    call = workflow.get_call(wf, call_id)
    assert call["max_amount"] == 12_000_000
    assert call["min_amount"] == 3_000_000
    assert call["title"]["en"] == "IPO 2027"
    assert workflow.update_call(wf, admin, call_id, max_amount=12_000_000) == []
    assert [a for a, _, _ in trail(wf, call_id)] == ["created", "edited"]
    assert trail(wf, call_id)[1] == ("edited", admin.id, {"changed": ["max_amount", "url"]})


def test_an_update_is_checked_against_the_call_as_it_stands(wf, coordinator):
    call_id = workflow.create_call(wf, coordinator, **ipo())
    with pytest.raises(InvalidInput) as caught:
        workflow.update_call(wf, coordinator, call_id, min_amount=20_000_000)
    assert set(caught.value.fields) == {"max_amount"}
    with pytest.raises(InvalidInput) as caught:
        workflow.update_call(wf, coordinator, call_id, opens_on=date(2027, 9, 23))
    assert set(caught.value.fields) == {"deadline"}
    with pytest.raises(InvalidInput) as caught:
        workflow.update_call(wf, coordinator, call_id, deadline=None, colour="red")
    assert set(caught.value.fields) == {"colour"}
    with pytest.raises(InvalidInput):
        workflow.update_call(wf, coordinator, call_id, deadline=None)
    with pytest.raises(NotFound):
        workflow.update_call(wf, coordinator, 999_999, funder="X")
    with pytest.raises(NotFound):
        workflow.get_call(wf, 999_999)
    assert [a for a, _, _ in trail(wf, call_id)] == ["created"]


def test_the_open_filter_follows_the_oslo_day(wf, coordinator):
    call_id = workflow.create_call(
        wf,
        coordinator,
        **ipo(opens_on=date(2027, 8, 12), deadline=datetime(2027, 9, 22, 13, 0, tzinfo=OSLO)),
    )
    # 23:30 UTC on 11 August is 01:30 on 12 August in Oslo: open already
    before_midnight_utc = datetime(2027, 8, 11, 21, 59, tzinfo=UTC)
    after_oslo_midnight = datetime(2027, 8, 11, 22, 0, tzinfo=UTC)
    last_minute = datetime(2027, 9, 22, 10, 59, tzinfo=UTC)
    at_deadline = datetime(2027, 9, 22, 11, 0, tzinfo=UTC)

    def ids(now, **filters):
        return [c["id"] for c in workflow.list_calls(wf, now=now, **filters).items]

    assert ids(before_midnight_utc, open_now=True) == []
    assert ids(before_midnight_utc, phase="upcoming") == [call_id]
    assert ids(after_oslo_midnight, open_now=True) == [call_id]
    assert ids(last_minute, phase="open") == [call_id]
    assert ids(at_deadline, open_now=True) == []
    assert ids(at_deadline, phase="closed") == [call_id]
    assert ids(at_deadline, open_now=False) == [call_id]
    call = workflow.get_call(wf, call_id)
    assert not workflow.call_is_open(call, before_midnight_utc, OSLO)
    assert workflow.call_is_open(call, after_oslo_midnight, OSLO)
    assert workflow.call_is_open(call, last_minute, OSLO)
    assert not workflow.call_is_open(call, at_deadline, OSLO)
    assert workflow.call_phase(call, at_deadline, OSLO) == "closed"


def test_the_list_filters_by_funder_and_year_and_puts_open_calls_first(wf, coordinator):
    now = datetime(2027, 9, 1, 12, 0, tzinfo=UTC)
    old = workflow.create_call(
        wf,
        coordinator,
        **ipo(opens_on=date(2026, 8, 12), deadline=datetime(2026, 9, 23, 13, 0, tzinfo=OSLO)),
    )
    current = workflow.create_call(wf, coordinator, **ipo())
    later = workflow.create_call(
        wf,
        coordinator,
        **ipo(
            funder="Regionalt forskningsfond Trøndelag",
            opens_on=date(2027, 10, 1),
            deadline=datetime(2028, 1, 1, 0, 30, tzinfo=OSLO),
            decision_expected_on=None,
        ),
    )
    page = workflow.list_calls(wf, now=now)
    assert [c["id"] for c in page.items] == [current, later, old]
    assert [c["phase"] for c in page.items] == ["open", "upcoming", "closed"]
    assert page.total == 3
    assert [c["id"] for c in workflow.list_calls(wf, now=now, funder="TRØNDELAG").items] == [later]
    # 00:30 on New Year's Day in Oslo is still 2027 in UTC: the year is Oslo's
    assert [c["id"] for c in workflow.list_calls(wf, now=now, year=2028).items] == [later]
    assert [c["id"] for c in workflow.list_calls(wf, now=now, year=2026).items] == [old]
    assert workflow.list_calls(wf, now=now, per_page=1, page=3).items[0]["id"] == old
    assert [c["id"] for c in workflow.call_choices(wf, now=now)] == [current, later, old]
    with pytest.raises(InvalidInput) as caught:
        workflow.list_calls(wf, phase="soon", year=99)
    assert set(caught.value.fields) == {"phase", "year"}


def test_the_call_shows_the_projects_applying(wf, coordinator, owner, ready_project):
    call_id = workflow.create_call(wf, coordinator, **ipo())
    with wf.db.write() as conn:
        conn.execute(
            insert(applications),
            [
                {"project_id": ready_project, "call_id": call_id, "status": "draft"},
                {"project_id": ready_project, "call_id": call_id, "status": "submitted"},
            ],
        )
    call = workflow.get_call(wf, call_id, per_page=1)
    assert call["applications"]["total"] == 2
    (first,) = call["applications"]["items"]
    assert first["status"] == "submitted"
    assert first["project_id"] == ready_project
    assert first["title"]
    second = workflow.call_applications(wf, call_id, page=2, per_page=1)
    assert second.items[0]["status"] == "draft"
