"""Governance settings: a gate's kill quorum and decision point label."""

from __future__ import annotations

from datetime import timedelta

import pytest

import workflow
from tests.conftest import GO
from tests.org_tree import (  # noqa: F401  (fixtures)
    ism_gatekeeper_fixture,
    orgs_fixture,
)
from workflow import ConcurrentUpdate

BOARD = """
key: board
version: 1
title: {nb: Styre, en: Board}
description: {nb: "Til tester.", en: "For tests."}
stages:
  - {key: idea, title: {nb: Idé, en: Idea}, sla_days: 10, guidance: {nb: Idé., en: Idea.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - key: review
    from: idea
    to: done
    title: {nb: Vurdering, en: Review}
    decision_point: {nb: BP2, en: DP2}
    quorum: {kommune: 1, ntnu: 1}
    kill_quorum: {kommune: 1, ntnu: 1}
"""


@pytest.fixture
def board_project(wf, tmp_path, owner):
    """A project of the 'board' definition, in review at a gate with a kill quorum."""
    path = tmp_path / "board.yaml"
    path.write_text(BOARD, encoding="utf-8")
    with wf.db.write() as conn:
        workflow.store.catalog.register_definitions(
            conn, workflow.load_definitions([path]), now=wf.clock()
        )
    wf.reload_definitions()
    pid = workflow.create_project(wf, owner, definition="board", title="Styresak")
    workflow.submit_project(wf, owner, pid, gate="review")
    return pid


def test_one_kill_vote_at_a_gate_with_a_kill_quorum_is_pending(wf, kommune, board_project):
    result = workflow.decide_gate(wf, kommune, board_project, decision="kill", comment="Nei")

    assert not result.decided
    assert result.status == "in_review"
    with pytest.raises(ConcurrentUpdate, match="already voted"):
        workflow.decide_gate(wf, kommune, board_project, decision="kill", comment="Nei!")


def test_a_kill_from_every_group_of_the_kill_quorum_kills(wf, kommune, ntnu, board_project):
    workflow.decide_gate(wf, kommune, board_project, decision="kill", comment="Nei")

    result = workflow.decide_gate(wf, ntnu, board_project, decision="kill", comment="Enig")

    assert result.decided
    assert (result.outcome, result.status) == ("kill", "killed")


def test_a_go_quorum_passes_even_with_a_kill_vote_pending(wf, create_user, kommune, board_project):
    workflow.decide_gate(wf, kommune, board_project, decision="kill", comment="Nei")
    other = create_user("gatekeeper", group="kommune")
    ntnu = create_user("gatekeeper", group="ntnu")

    workflow.decide_gate(wf, other, board_project, decision="go")
    result = workflow.decide_gate(wf, ntnu, board_project, decision="go")

    assert (result.outcome, result.status) == ("go", "completed")


def test_the_decision_point_label_belongs_to_the_gate(wf, board_project):
    gate = wf.catalog.get("board", 1).gate("review")

    assert (gate.decision_point.get("nb"), gate.decision_point.get("en")) == ("BP2", "DP2")


def kinds(tasks):
    return [(t.kind, t.project_id) for t in tasks]


def test_a_vote_waits_in_each_gatekeepers_tasks_until_they_vote(
    wf, kommune, ntnu, owner, submitted_project
):
    task = workflow.my_tasks(wf, kommune)[0]

    assert (task.kind, task.project_id, task.params["sla_days"]) == ("vote", submitted_project, 10)
    assert task.params["gate"] == "idea_review"
    assert task.params["waited_days"] == 0
    assert workflow.my_tasks(wf, owner) == []

    workflow.decide_gate(wf, kommune, submitted_project, decision="go", scores=GO)

    assert kinds(workflow.my_tasks(wf, kommune)) == []
    assert kinds(workflow.my_tasks(wf, ntnu)) == [("vote", submitted_project)]


def test_a_conflicted_gatekeeper_has_no_vote_task(wf, owner, ready_project, orgs, ism_gatekeeper):
    workflow.add_partner(wf, owner, ready_project, organisation_id=orgs.ism, role="Partner")
    workflow.submit_project(wf, owner, ready_project)

    assert workflow.my_tasks(wf, ism_gatekeeper) == []


def test_a_recycled_project_waits_for_its_owner_with_the_feedback(
    wf, kommune, owner, submitted_project
):
    workflow.decide_gate(wf, kommune, submitted_project, decision="recycle", comment="Mer data")

    task = workflow.my_tasks(wf, owner)[0]

    assert (task.kind, task.params["feedback"]) == ("recycled", "Mer data")
    workflow.submit_project(wf, owner, submitted_project)
    assert [t.kind for t in workflow.my_tasks(wf, owner)] == []


def test_a_report_due_within_two_weeks_is_the_owners_task(wf, owner, ready_project):
    today = wf.today()
    workflow.add_report(wf, owner, ready_project, kind="progress", due_on=today + timedelta(days=3))
    workflow.add_report(
        wf, owner, ready_project, kind="progress", due_on=today + timedelta(days=30)
    )

    tasks = workflow.my_tasks(wf, owner)

    assert [(t.kind, t.due_on) for t in tasks] == [("report", today + timedelta(days=3))]


def test_a_new_kind_of_task_is_one_provider(wf, owner, ready_project, monkeypatch):
    from workflow.queries import tasks

    def mentions(conn, user_id, today):
        return [
            {
                "kind": "mention",
                "project_id": ready_project,
                "project_title": "X",
                "due_on": None,
                "ref_id": 7,
            }
        ]

    monkeypatch.setattr(tasks, "PROVIDERS", (*tasks.PROVIDERS, mentions))

    assert kinds(workflow.my_tasks(wf, owner)) == [("mention", ready_project)]


def test_a_sent_back_project_carries_the_boards_feedback_until_resubmitted(
    wf, kommune, owner, submitted_project
):
    assert workflow.sent_back(wf, submitted_project) is None
    workflow.decide_gate(wf, kommune, submitted_project, decision="recycle", comment="Mer data")

    feedback = workflow.sent_back(wf, submitted_project)

    assert (feedback["gate"], feedback["feedback"]) == ("idea_review", "Mer data")
    assert feedback["voter_name"] == "Kari Kommune"
    workflow.submit_project(wf, owner, submitted_project)
    assert workflow.sent_back(wf, submitted_project) is None


def test_the_review_lists_every_change_since_the_gate_last_decided(
    wf, kommune, owner, submitted_project
):
    def changes():
        review = workflow.get_project(wf, submitted_project).review["id"]
        return workflow.changes_since_last_review(wf, submitted_project, "idea_review", review)

    assert changes() is None  # the gate has not decided on it before
    workflow.decide_gate(wf, kommune, submitted_project, decision="recycle", comment="Mer data")
    workflow.update_project(wf, owner, submitted_project, summary="Nå med data")
    workflow.set_checklist_item(wf, owner, submitted_project, "need_described", False)
    workflow.set_checklist_item(wf, owner, submitted_project, "need_described", True)
    workflow.submit_project(wf, owner, submitted_project)

    items, more = changes()

    assert [e["action"] for e in items] == ["edited", "checklist_unticked", "checklist_ticked"]
    assert items[0]["actor_name"] == "Olivia Owner"
    assert more is False


def test_a_named_substitute_votes_in_the_gatekeepers_group_and_the_vote_says_for_whom(
    wf, kommune, create_user, submitted_project
):
    stand_in = create_user("owner", name="Vera Vikar")
    today = wf.today()
    named = workflow.set_substitute(
        wf, kommune, user_id=stand_in.id, starts_on=today, ends_on=today + timedelta(days=14)
    )
    assert (named["name"], named["group"]) == ("Vera Vikar", "kommune")
    assert [t.kind for t in workflow.my_tasks(wf, stand_in)] == ["vote"]

    workflow.decide_gate(wf, stand_in, submitted_project, decision="go", scores=GO)

    (vote,) = workflow.get_project(wf, submitted_project).votes
    assert (vote["voter_id"], vote["voter_group"]) == (stand_in.id, "kommune")
    assert vote["substitute_for"] == kommune.id


def test_a_substitute_outside_their_period_or_removed_cannot_vote(
    wf, kommune, create_user, submitted_project
):
    stand_in = create_user("owner")
    later = wf.today() + timedelta(days=3)
    workflow.set_substitute(wf, kommune, user_id=stand_in.id, starts_on=later, ends_on=later)

    with pytest.raises(workflow.PermissionDenied, match="only gatekeepers of kommune, ntnu"):
        workflow.decide_gate(wf, stand_in, submitted_project, decision="go", scores=GO)
    workflow.remove_substitute(wf, kommune)
    assert workflow.substitute_of(wf, kommune) is None
    with pytest.raises(workflow.NotFound):
        workflow.remove_substitute(wf, kommune)


def test_naming_a_substitute_is_audited_off_any_project(wf, kommune, create_user):
    from sqlalchemy import select

    from workflow.store.tables import governance_events

    stand_in = create_user("owner")
    workflow.set_substitute(
        wf, kommune, user_id=stand_in.id, starts_on=wf.today(), ends_on=wf.today()
    )
    workflow.remove_substitute(wf, kommune)

    with wf.db.read() as conn:
        rows = conn.execute(select(governance_events.c.action, governance_events.c.actor_id))
        assert [tuple(r) for r in rows] == [
            ("substitute_named", kommune.id),
            ("substitute_removed", kommune.id),
        ]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"user_id": "x"}, "user_id", "not_whole_number"),
        ({"ends_on": "2020-01-01", "starts_on": "2019-01-01"}, "to", "substitute_period_past"),
        ({"ends_on": "2026-01-01"}, "to", "substitute_period_backwards"),
        ({"starts_on": "nei"}, "from", "not_date"),
        ({"ends_on": "2028-12-01"}, "to", "substitute_period_too_long"),
    ],
)
def test_a_bad_substitute_is_refused_naming_the_field(wf, kommune, owner, change, field, code):
    values = {"user_id": owner.id, "starts_on": "2026-11-10", "ends_on": "2026-11-20", **change}

    with pytest.raises(workflow.InvalidInput) as caught:
        workflow.set_substitute(wf, kommune, **values)

    assert caught.value.fields[field].code == code


def test_only_gatekeepers_name_substitutes_and_never_themselves(wf, kommune, owner):
    with pytest.raises(workflow.PermissionDenied):
        workflow.set_substitute(
            wf, owner, user_id=kommune.id, starts_on="2026-11-10", ends_on="2026-11-11"
        )
    with pytest.raises(workflow.InvalidInput):
        workflow.set_substitute(
            wf, kommune, user_id=kommune.id, starts_on="2026-11-10", ends_on="2026-11-11"
        )


@pytest.fixture
def areas(wf, admin):
    """Two thematic areas: Smartby, ended, and Unikom, valid from 2024."""
    workflow.save_thematic_area(
        wf,
        admin,
        "smartby",
        new=True,
        label_nb="Smartby",
        label_en="Smart city",
        valid_to="2023-12-31",
    )
    workflow.save_thematic_area(
        wf,
        admin,
        "unikom",
        new=True,
        label_nb="Unikom",
        label_en="Unikom",
        valid_from="2024-01-01",
    )


def test_new_projects_choose_among_areas_valid_today_and_old_ones_keep_theirs(
    wf, admin, owner, areas
):
    valid = [a["key"] for a in workflow.list_thematic_areas(wf, valid_on=wf.today())]
    assert valid == ["unikom"]
    old = workflow.create_project(
        wf, owner, definition="lab", title="Gammel", thematic_area="smartby"
    )

    workflow.end_thematic_area(wf, admin, "unikom")

    assert workflow.list_thematic_areas(wf, valid_on=wf.today()) == []
    assert workflow.get_project(wf, old).project["thematic_area"] == "smartby"


def test_an_admin_added_area_classifies_projects_and_an_unknown_one_is_refused(wf, admin, owner):
    workflow.save_thematic_area(wf, admin, "klima", new=True, label_nb="Klima", label_en="Climate")

    pid = workflow.create_project(
        wf, owner, definition="lab", title="Klimatiltak", thematic_area="klima"
    )

    assert workflow.get_project(wf, pid).project["thematic_area"] == "klima"
    with pytest.raises(workflow.InvalidInput) as caught:
        workflow.create_project(wf, owner, definition="lab", title="X", thematic_area="sport")
    assert caught.value.fields["thematic_area"].code == "no_area"


@pytest.mark.parametrize(
    ("key", "values", "field", "code"),
    [
        ("Klima!", {"label_nb": "K", "label_en": "C"}, "key", "not_area_key"),
        ("klima", {"label_nb": "", "label_en": "C"}, "label_nb", "required"),
        (
            "klima",
            {
                "label_nb": "K",
                "label_en": "C",
                "valid_from": "2026-02-01",
                "valid_to": "2026-01-01",
            },
            "valid_to",
            "area_ends_before_start",
        ),
        ("klima", {"label_nb": "K", "label_en": "C", "valid_to": "snart"}, "valid_to", "not_date"),
    ],
)
def test_a_bad_area_is_refused_naming_the_field(wf, admin, key, values, field, code):
    with pytest.raises(workflow.InvalidInput) as caught:
        workflow.save_thematic_area(wf, admin, key, new=True, **values)

    assert caught.value.fields[field].code == code


def test_only_admins_maintain_areas_and_keys_are_unique(wf, admin, coordinator, areas):
    with pytest.raises(workflow.PermissionDenied):
        workflow.save_thematic_area(wf, coordinator, "unikom", label_nb="U", label_en="U")
    with pytest.raises(workflow.Duplicate):
        workflow.save_thematic_area(wf, admin, "unikom", new=True, label_nb="U", label_en="U")


def test_the_gate_queue_filters_by_area_and_definition(wf, owner, kommune, research_org, areas):
    pids = {}
    for area in ("unikom", "smartby"):
        pid = workflow.create_project(
            wf,
            owner,
            definition="lab",
            title=f"Sak {area}",
            thematic_area=area,
            fields={"need": "Behov", "budget": 1000, "own_share": 600},
        )
        workflow.set_checklist_item(wf, owner, pid, "need_described", True)
        workflow.add_partner(wf, owner, pid, organisation_id=research_org, role="FoU")
        workflow.submit_project(wf, owner, pid)
        pids[area] = pid

    def queued(**filters):
        return [p["id"] for p in workflow.gate_queue(wf, kommune, **filters).items]

    assert sorted(queued()) == sorted(pids.values())
    assert queued(thematic_area="unikom") == [pids["unikom"]]
    assert queued(definition="ipo") == []


def test_pending_kill_votes_and_substitute_votes_verify_in_the_audit_trail(
    wf, kommune, ntnu, create_user, board_project
):
    stand_in = create_user("owner")
    workflow.set_substitute(
        wf, kommune, user_id=stand_in.id, starts_on=wf.today(), ends_on=wf.today()
    )
    workflow.decide_gate(wf, stand_in, board_project, decision="kill", comment="Nei")
    workflow.decide_gate(wf, ntnu, board_project, decision="kill", comment="Enig")

    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []
