"""Funding applications: drafts for a call, the call's rules at submission, the funder's
decision, re-applying with the history kept, and the stall clock while the funder decides."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

import workflow
from tests.calls_kit import GOOD, OSLO, add_call
from workflow import CallRulesNotMet, InvalidInput, PermissionDenied, TransitionNotAllowed
from workflow.store.tables import projects


@pytest.fixture
def public_org(wf):
    return workflow.add_organisation(wf, None, name="Trondheim kommune", type="public")


@pytest.fixture
def call(wf):
    return add_call(wf)


@pytest.fixture
def draft(wf, owner, ready_project, call, public_org):
    return workflow.create_application(
        wf,
        owner,
        ready_project,
        call_id=call,
        values={**GOOD, "applicant_organisation_id": public_org},
    )


def version(wf, pid):
    return workflow.get_project(wf, pid).project["version"]


def at(wf, days):
    """The workflow as if ``days`` days later."""
    later = workflow.Workflow(
        wf.db, base_url=wf.base_url, clock=lambda: wf.clock() + timedelta(days=days)
    )
    later.catalog = wf.catalog
    return later


def rules(wf, pid):
    current = workflow.list_applications(wf, pid).items[0]
    return {c["key"]: (c["met"], c["code"]) for c in current["call_rules"]}


def test_the_full_story(wf, owner, coordinator, ready_project, call, public_org):
    next_year = add_call(
        wf,
        title={"nb": "IPO 2027", "en": "IPO 2027"},
        deadline=datetime.combine(date(2027, 9, 22), time(13), tzinfo=OSLO),
        earliest_start=date(2028, 2, 1),
        latest_start=date(2028, 5, 1),
        latest_end=date(2031, 4, 30),
    )
    pid = ready_project
    first = workflow.create_application(
        wf, owner, pid, call_id=call, expected_version=version(wf, pid)
    )
    workflow.update_application(
        wf,
        owner,
        pid,
        first,
        {
            "applicant_organisation_id": public_org,
            "applied_amount": 7_000_000,
            "budget": 10_000_000,
            "planned_start": "2027-03-01",
            "planned_end": "2029-12-31",
            "budget_lines": [{"category": "salaries", "amount": 6_000_000}],
            "financing": [{"organisation_id": public_org, "cash": 1_000_000, "in_kind": 2_000_000}],
        },
        expected_version=version(wf, pid),
    )

    with pytest.raises(CallRulesNotMet) as refused:
        workflow.submit_application(wf, owner, pid, first)

    [unmet] = refused.value.unmet
    assert (unmet.kind, unmet.key, unmet.code) == ("call_rules", "own_share", "own_share_too_small")
    assert unmet.params["own_share"] == 3_000_000
    assert unmet.params["required"] == 5_000_000

    workflow.update_application(wf, owner, pid, first, {"applied_amount": 5_000_000})
    workflow.submit_application(wf, owner, pid, first, expected_version=version(wf, pid))
    workflow.record_outcome(
        wf,
        coordinator,
        pid,
        first,
        outcome="rejected",
        decided_on="2027-02-15",
        feedback="Svak forankring i kommunen.",
        reference="NFR-1",
        panel_scores={"ambition": 4, "impact": 3},
    )
    second = workflow.reapply(wf, owner, pid, first, call_id=next_year)
    workflow.update_application(
        wf, owner, pid, second, {"planned_start": "2028-03-01", "planned_end": "2030-12-31"}
    )
    workflow.submit_application(wf, owner, pid, second)

    with pytest.raises(InvalidInput) as too_much:
        workflow.record_outcome(
            wf, coordinator, pid, second, outcome="granted", granted_amount=5_000_001
        )
    assert too_much.value.fields["granted_amount"].code == "granted_above_applied"

    workflow.record_outcome(
        wf, coordinator, pid, second, outcome="granted", granted_amount=4_800_000
    )

    page = workflow.list_applications(wf, pid)
    newest, older = page.items
    assert page.total == 2
    assert (newest["id"], newest["status"], newest["granted_amount"]) == (
        second,
        "granted",
        4_800_000,
    )
    assert newest["current"]
    assert not older["current"]
    assert newest["previous_id"] == first
    assert newest["call"]["title"]["nb"] == "IPO 2027"
    assert newest["budget_lines"] == [{"category": "salaries", "amount": 6_000_000}]
    assert (older["status"], older["feedback"]) == ("rejected", "Svak forankring i kommunen.")
    assert older["decided_on"] == date(2027, 2, 15)
    assert older["panel_scores"] == {"ambition": 4, "impact": 3}
    assert all(c["met"] for c in older["call_rules"])
    actions = [
        e["action"]
        for e in workflow.project_events(wf, pid)
        if e["action"].startswith("application_")
    ]
    assert actions == [
        "application_created",
        "application_edited",
        "application_edited",
        "application_submitted",
        "application_decided",
        "application_reapplied",
        "application_edited",
        "application_submitted",
        "application_decided",
    ]


def test_each_rule_of_the_call_is_reported(wf, owner, ready_project, public_org):
    strict = add_call(
        wf,
        opens_on=date(2027, 1, 1),
        max_support_rate={"research": 0.5},
        required_partners={"research": 2, "business": 1},
        min_amount=6_000_000,
    )
    app = workflow.create_application(
        wf,
        owner,
        ready_project,
        call_id=strict,
        values={
            "applicant_organisation_id": public_org,
            "applied_amount": 5_000_000,
            "budget": 10_000_000,
            "planned_start": "2027-01-01",
            "planned_end": "2030-06-01",
        },
    )

    with pytest.raises(CallRulesNotMet) as refused:
        workflow.submit_application(wf, owner, ready_project, app)

    assert {u.key: u.code for u in refused.value.unmet} == {
        "call_open": "call_not_open_yet",
        "own_share": "applicant_type_not_supported",
        "start_window": "start_too_early",
        "end_by": "end_too_late",
        "partners": "partners_lacking",
        "amount": "amount_too_small",
    }


def test_an_incomplete_draft_names_what_it_lacks(wf, owner, ready_project, call):
    app = workflow.create_application(wf, owner, ready_project, call_id=call)

    with pytest.raises(CallRulesNotMet) as refused:
        workflow.submit_application(wf, owner, ready_project, app)

    first = refused.value.unmet[0]
    assert (first.key, first.code) == ("complete", "application_fields_missing")
    assert first.params["fields"] == ["applied_amount", "budget", "planned_start", "planned_end"]


def test_the_owners_organisation_is_the_applicant_unless_one_is_named(
    wf, owner, ready_project, call
):
    workflow.create_application(wf, owner, ready_project, call_id=call, values=GOOD)

    assert rules(wf, ready_project)["own_share"] == (False, "applicant_unknown")


def test_a_closed_call_refuses_the_submission_but_a_draft_may_wait(
    wf, owner, ready_project, call, draft
):
    late = at(wf, 40)  # 12 December 2026: past the 2 December deadline

    with pytest.raises(CallRulesNotMet) as refused:
        workflow.submit_application(late, owner, ready_project, draft)

    assert [(u.key, u.code) for u in refused.value.unmet] == [("call_open", "call_closed")]


def test_one_application_in_progress_at_a_time(wf, owner, ready_project, call, draft):
    with pytest.raises(TransitionNotAllowed) as busy:
        workflow.create_application(wf, owner, ready_project, call_id=call)
    assert busy.value.problem.code == "application_in_progress"

    workflow.withdraw_application(wf, owner, ready_project, draft)
    again = workflow.create_application(wf, owner, ready_project, call_id=call)

    assert workflow.list_applications(wf, ready_project).items[0]["id"] == again


def test_only_drafts_change_and_only_rejected_ones_are_reapplied(
    wf, owner, ready_project, call, draft
):
    workflow.submit_application(wf, owner, ready_project, draft)

    with pytest.raises(TransitionNotAllowed):
        workflow.update_application(wf, owner, ready_project, draft, {"budget": 1})
    with pytest.raises(TransitionNotAllowed):
        workflow.reapply(wf, owner, ready_project, draft, call_id=call)
    workflow.withdraw_application(wf, owner, ready_project, draft)
    with pytest.raises(TransitionNotAllowed):
        workflow.withdraw_application(wf, owner, ready_project, draft)


def test_who_may_do_what(wf, owner, other_owner, coordinator, ready_project, call, draft):
    with pytest.raises(PermissionDenied):
        workflow.create_application(wf, other_owner, ready_project, call_id=call)
    with pytest.raises(PermissionDenied):
        workflow.submit_application(wf, coordinator, ready_project, draft)
    workflow.submit_application(wf, owner, ready_project, draft)
    with pytest.raises(PermissionDenied):
        workflow.record_outcome(wf, owner, ready_project, draft, outcome="rejected")


def test_values_are_checked(wf, owner, ready_project, call, draft):
    with pytest.raises(InvalidInput) as wrong:
        workflow.update_application(
            wf,
            owner,
            ready_project,
            draft,
            {
                "budget": -5,
                "planned_end": "2026-13-01",
                "budget_lines": [{"category": "travel", "amount": 1}],
                "financing": [{"organisation_id": 999999, "cash": 1, "in_kind": 0}],
                "colour": "blue",
            },
        )
    assert {k: p.code for k, p in wrong.value.fields.items()} == {
        "budget": "negative",
        "planned_end": "not_date",
        "budget_lines.0.category": "not_one_of",
        "colour": "unknown_application_field",
    }
    with pytest.raises(InvalidInput) as no_org:
        workflow.update_application(
            wf, owner, ready_project, draft, {"financing": [{"organisation_id": 999999}]}
        )
    assert no_org.value.fields["financing.0.organisation_id"].code == "unknown_organisation"
    with pytest.raises(InvalidInput) as backwards:
        workflow.update_application(wf, owner, ready_project, draft, {"planned_end": "2027-01-01"})
    assert backwards.value.fields["planned_end"].code == "end_before_start"
    with pytest.raises(InvalidInput) as no_call:
        workflow.create_application(wf, owner, ready_project, call_id=999999)
    assert no_call.value.fields["call_id"].code == "no_call"


def test_writes_honour_the_version_and_are_frozen_in_review(wf, owner, ready_project, call, draft):
    stale = version(wf, ready_project) - 1
    with pytest.raises(workflow.StaleVersion):
        workflow.update_application(
            wf, owner, ready_project, draft, {"budget": 1}, expected_version=stale
        )
    before = version(wf, ready_project)
    after = workflow.update_application(wf, owner, ready_project, draft, {"budget": 11_000_000})
    assert after == before + 1
    workflow.submit_project(wf, owner, ready_project)

    with pytest.raises(TransitionNotAllowed) as frozen:
        workflow.update_application(wf, owner, ready_project, draft, {"budget": 1})
    assert frozen.value.problem.code == "part_frozen"


def stale_at(wf, pid):
    with wf.db.read() as conn:
        return conn.execute(select(projects.c.stale_at).where(projects.c.id == pid)).scalar()


def test_waiting_for_the_funder_is_not_stalling(wf, owner, coordinator, ready_project, draft):
    workflow.submit_application(wf, owner, ready_project, draft)
    assert stale_at(wf, ready_project) is None
    # other work on the project meanwhile does not start the clock again
    workflow.update_project(wf, owner, ready_project, title="Venter på svar")

    assert workflow.stalled_projects(wf, as_of=at(wf, 100).clock()).total == 0
    assert workflow.flag_stalled(wf, as_of=at(wf, 100).clock()).flagged == []

    decided = at(wf, 100)
    workflow.record_outcome(decided, coordinator, ready_project, draft, outcome="rejected")

    assert workflow.stalled_projects(wf, as_of=at(wf, 109).clock()).total == 0
    assert workflow.stalled_projects(wf, as_of=at(wf, 111).clock()).total == 1


def test_the_gate_requirements_see_the_current_application(wf, owner, ready_project, draft):
    from tests.unit.requirements.kit import definition_with
    from workflow.requirements.evaluate import evaluate
    from workflow.requirements.facts import facts_of

    d = definition_with({"application": {"status": ["submitted"]}, "call_rules": True})
    with wf.db.read() as conn:
        row = conn.execute(select(projects).where(projects.c.id == ready_project)).mappings().one()
        before = evaluate(d, d.gates[0], facts_of(conn, row, now=wf.clock(), zone=wf.zone))
    workflow.submit_application(wf, owner, ready_project, draft)
    with wf.db.read() as conn:
        after = evaluate(d, d.gates[0], facts_of(conn, row, now=wf.clock(), zone=wf.zone))

    assert [(c.kind, c.met, c.code) for c in before] == [
        ("application", False, "application_status_not"),
        ("call_rules", True, "call_rules_met"),
    ]
    assert [(c.kind, c.met) for c in after] == [("application", True), ("call_rules", True)]


def test_budget_lines_and_financing_must_be_short_lists(wf, owner, ready_project, call, draft):
    line = {"category": "salaries", "amount": 1}

    with pytest.raises(InvalidInput) as wrong:
        workflow.update_application(
            wf, owner, ready_project, draft, {"budget_lines": "many", "financing": [line] * 101}
        )

    assert {k: p.code for k, p in wrong.value.fields.items()} == {
        "budget_lines": "not_list",
        "financing": "too_many",
    }
