"""Conflict of interest at the gates (SPEC §2c, forvaltningsloven §6), on both databases.

The organisations: NTNU → NTNU Fakultet for økonomi → NTNU ISM (``tests/org_tree.py``).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

import workflow
from tests.conftest import DATA, GO, SHIPPED, make_workflow
from tests.org_tree import (  # noqa: F401  (fixtures)
    add_partner_behind_the_owners_back,
    ism_gatekeeper_fixture,
    member,
    ntnu_gatekeeper_fixture,
    orgs_fixture,
)
from workflow import PermissionDenied
from workflow.store.fastsql import Sql


def submitted_with(wf, owner, project, *partners):
    for organisation in partners:
        workflow.add_partner(wf, owner, project, organisation_id=organisation, role="Partner")
    workflow.submit_project(wf, owner, project)
    return project


def refusal(wf, gatekeeper, project):
    version = workflow.get_project(wf, project).project["version"]
    with pytest.raises(PermissionDenied) as caught:
        workflow.decide_gate(wf, gatekeeper, project, decision="go", scores=GO)
    view = workflow.get_project(wf, project)
    assert (view.project["status"], view.project["version"], view.votes) == (
        "in_review",
        version,
        [],
    )
    return caught.value.problem


def test_a_department_gatekeeper_is_refused_where_the_department_is_a_partner(
    wf, owner, ready_project, orgs, ism_gatekeeper
):
    pid = submitted_with(wf, owner, ready_project, orgs.ism)

    problem = refusal(wf, ism_gatekeeper, pid)

    assert problem.code == "conflict_of_interest"
    assert problem.params == {"organisation": orgs.ism, "name": "NTNU ISM", "gate": "idea_review"}
    assert "NTNU ISM" in problem.text


def test_a_department_gatekeeper_is_refused_where_the_whole_university_is_a_partner(
    wf, owner, ready_project, orgs, ism_gatekeeper
):
    pid = submitted_with(wf, owner, ready_project, orgs.ntnu)

    problem = refusal(wf, ism_gatekeeper, pid)

    assert (problem.code, problem.params["organisation"]) == ("conflict_of_interest", orgs.ntnu)
    assert problem.params["name"] == "NTNU"


def test_the_nearest_conflicting_organisation_is_named(
    wf, owner, ready_project, orgs, ism_gatekeeper
):
    pid = submitted_with(wf, owner, ready_project, orgs.ntnu, orgs.faculty)

    assert refusal(wf, ism_gatekeeper, pid).params["name"] == "NTNU Fakultet for økonomi"


def test_a_department_gatekeeper_is_refused_where_the_university_owns_the_project(
    wf, orgs, research_org, ism_gatekeeper
):
    university_owner = member(wf, "owner", "ntnu")
    pid = workflow.create_project(
        wf,
        university_owner,
        definition="lab",
        title="NTNU-prosjekt",
        fields={"need": "Behov", "budget": 1000, "own_share": 600},
    )
    workflow.set_checklist_item(wf, university_owner, pid, "need_described", True)
    submitted_with(wf, university_owner, pid, research_org)

    problem = refusal(wf, ism_gatekeeper, pid)

    assert problem.code == "conflict_of_interest_owner"
    assert (problem.params["organisation"], problem.params["name"]) == (orgs.ntnu, "NTNU")
    assert "owner's organisation" in problem.text


def test_a_university_wide_gatekeeper_may_vote_where_only_a_department_takes_part(
    wf, owner, ready_project, orgs, ntnu_gatekeeper
):
    pid = submitted_with(wf, owner, ready_project, orgs.ism, orgs.faculty)

    result = workflow.decide_gate(wf, ntnu_gatekeeper, pid, decision="go", scores=GO)

    assert not result.decided
    assert [v["voter_id"] for v in workflow.get_project(wf, pid).votes] == [ntnu_gatekeeper.id]
    assert workflow.conflict_of_interest(wf, ntnu_gatekeeper, pid) is None


def test_a_gatekeeper_without_an_organisation_is_never_conflicted(
    wf, owner, ready_project, orgs, ntnu, kommune
):
    pid = submitted_with(wf, owner, ready_project, orgs.ntnu, orgs.ism)

    workflow.decide_gate(wf, kommune, pid, decision="go", scores=GO)
    result = workflow.decide_gate(wf, ntnu, pid, decision="go", scores=GO)

    assert result.decided
    assert workflow.get_project(wf, pid).project["stage"] == "build"


@pytest.mark.parametrize("status", ["invited", "confirmed", "letter_of_intent"])
def test_the_partners_at_vote_time_count_whatever_their_status(
    wf, owner, submitted_project, orgs, ism_gatekeeper, status
):
    assert workflow.conflict_of_interest(wf, ism_gatekeeper, submitted_project) is None
    add_partner_behind_the_owners_back(wf, submitted_project, orgs.ism, status)

    problem = refusal(wf, ism_gatekeeper, submitted_project)

    assert (problem.code, problem.params["name"]) == ("conflict_of_interest", "NTNU ISM")
    assert workflow.conflict_of_interest(wf, ism_gatekeeper, submitted_project) == problem


def test_a_gate_that_allows_it_lets_a_conflicted_gatekeeper_vote(db, orgs_on_open_board):
    wf, owner, gatekeeper, ism = orgs_on_open_board
    pid = workflow.create_project(wf, owner, definition="open_board", title="Åpent")
    workflow.add_partner(wf, owner, pid, organisation_id=ism, role="Partner")
    workflow.submit_project(wf, owner, pid)

    assert workflow.conflict_of_interest(wf, gatekeeper, pid) is None
    result = workflow.decide_gate(wf, gatekeeper, pid, decision="go")

    assert (result.decided, result.stage) == (True, "done")


@pytest.fixture
def orgs_on_open_board(db):
    """A workflow with the ``open_board`` definition, NTNU ISM and an ISM gatekeeper."""
    wf = make_workflow(db, DATA, SHIPPED, DATA / "conflict")
    ism = workflow.add_organisation(wf, None, name="NTNU ISM", type="research", key="ntnu-ism")
    workflow.add_user(
        wf, email="eier@example.no", name="Eier", role="owner", password="password123"
    )
    owner = workflow.get_actor(wf, email="eier@example.no")
    return wf, owner, member(wf, "gatekeeper", "ntnu-ism", group="ntnu"), ism


def test_the_queue_marks_conflicted_projects_with_one_query_for_the_page(
    wf, owner, create_user, research_org, orgs, ism_gatekeeper
):
    def project(title, *partners):
        pid = workflow.create_project(
            wf,
            owner,
            definition="lab",
            title=title,
            fields={"need": "Behov", "budget": 1000, "own_share": 600},
        )
        workflow.set_checklist_item(wf, owner, pid, "need_described", True)
        return submitted_with(wf, owner, pid, research_org, *partners)

    clean = project("Uten NTNU ISM")
    own = project("Med NTNU ISM", orgs.ism)
    whole = project("Med hele NTNU", orgs.ntnu)

    with counting(wf) as one:
        workflow.gate_queue(wf, ism_gatekeeper, per_page=1)
    with counting(wf) as three:
        page = workflow.gate_queue(wf, ism_gatekeeper)

    assert page.total == 3
    assert len(three) == len(one), "a query per row"
    assert sum("RECURSIVE" in q for q in three) == 1
    marks = {p["id"]: p["conflict"] for p in page.items}
    assert marks[clean] is None
    assert (marks[own].code, marks[own].params["name"]) == ("conflict_of_interest", "NTNU ISM")
    assert marks[whole].params["name"] == "NTNU"
    no_organisation = create_user("gatekeeper", group="ntnu")
    assert all(p["conflict"] is None for p in workflow.gate_queue(wf, no_organisation).items)


@contextmanager
def counting(wf):
    """The statements run meanwhile, through SQLAlchemy or the driver-level runner."""
    statements: list[str] = []

    def core(conn, cursor, statement, *args):
        statements.append(statement)

    def driver(self, sql, params):
        statements.append(sql)
        return run(self, sql, params)

    run = Sql.execute
    event.listen(wf.db.engine, "before_cursor_execute", core)
    Sql.execute = driver
    try:
        yield statements
    finally:
        Sql.execute = run
        event.remove(wf.db.engine, "before_cursor_execute", core)


def test_a_project_at_no_gate_has_no_conflict_to_show(wf, ready_project, ism_gatekeeper):
    assert workflow.conflict_of_interest(wf, ism_gatekeeper, ready_project) is None
    with pytest.raises(workflow.NotFound):
        workflow.conflict_of_interest(wf, ism_gatekeeper, ready_project + 1000)
