"""A project's partners: once each, invited → confirmed → letter of intent with the day each
was reached, audited; and gates that ask for partners by status and approval."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic import command
from sqlalchemy import text, update

import workflow
from tests.conftest import DATA, make_workflow
from workflow import Duplicate, InvalidInput, TransitionNotAllowed
from workflow.store.migrate import alembic_config, upgrade
from workflow.store.tables import Organisation, table

STRICT = (
    (DATA / "lab.yaml")
    .read_text()
    .replace("key: lab\n", "key: lab_strict\n", 1)
    .replace(
        "partners: {research: 1}",
        "partners: {research: {min: 1, status: confirmed, approved: true}}",
    )
)


def partner(wf, project_id):
    (only,) = workflow.get_project(wf, project_id).partners
    return only


def trail(wf, project_id):
    return [e["action"] for e in workflow.project_events(wf, project_id)]


def chain_faults(wf):
    with wf.db.read() as conn:
        return list(workflow.verify_chains(conn))


@pytest.fixture
def project(wf, owner):
    return workflow.create_project(wf, owner, definition="lab", title="Digital hjemmeoppfølging")


def test_a_new_partner_is_invited_today(wf, owner, project, research_org):
    workflow.add_partner(wf, owner, project, organisation_id=research_org, role="FoU")

    added = partner(wf, project)
    assert (added["status"], added["role"]) == ("invited", "FoU")
    assert added["invited_on"] == wf.today() == date(2026, 11, 2)
    assert added["confirmed_on"] is None
    assert added["letter_of_intent_on"] is None
    assert trail(wf, project)[-1] == "partner_added"


def test_the_status_moves_on_keeping_the_day_each_was_reached_and_back_clears_later_days(
    wf, owner, project, research_org
):
    pid = workflow.add_partner(wf, owner, project, organisation_id=research_org)
    before = workflow.get_project(wf, project).project["version"]

    version = workflow.update_partner(wf, owner, project, pid, status="letter_of_intent")
    moved = partner(wf, project)
    workflow.update_partner(wf, owner, project, pid, status="invited")
    back = partner(wf, project)

    assert version == before + 1
    assert moved["status"] == "letter_of_intent"
    assert moved["invited_on"] == moved["confirmed_on"] == moved["letter_of_intent_on"]
    assert (back["status"], back["invited_on"]) == ("invited", moved["invited_on"])
    assert back["confirmed_on"] is None
    assert back["letter_of_intent_on"] is None
    events = workflow.project_events(wf, project)
    assert [e["payload"].get("to") for e in events if e["action"] == "partner_changed"] == [
        "letter_of_intent",
        "invited",
    ]
    assert chain_faults(wf) == []


def test_an_organisation_is_a_partner_once_whatever_the_role(wf, owner, project, research_org):
    workflow.add_partner(wf, owner, project, organisation_id=research_org, role="FoU")

    with pytest.raises(Duplicate) as twice:
        workflow.add_partner(wf, owner, project, organisation_id=research_org, role="Annen")

    assert twice.value.fields["organisation_id"].code == "already_partner"


def test_a_deactivated_organisation_cannot_become_a_partner(wf, owner, project, research_org):
    with wf.db.write() as conn:
        conn.execute(update(table(Organisation)).values(active=False))

    with pytest.raises(InvalidInput) as refused:
        workflow.add_partner(wf, owner, project, organisation_id=research_org)

    assert refused.value.fields["organisation_id"].code == "organisation_inactive"


def test_bad_status_and_role_are_named(wf, owner, project, research_org):
    pid = workflow.add_partner(wf, owner, project, organisation_id=research_org)

    with pytest.raises(InvalidInput) as bad:
        workflow.update_partner(wf, owner, project, pid, status="married", role="a\nb")

    assert {k: p.code for k, p in bad.value.fields.items()} == {
        "status": "not_one_of",
        "role": "not_one_line",
    }


def test_only_the_owner_of_an_active_project_changes_a_partner(
    wf, owner, other_owner, submitted_project
):
    pid = partner(wf, submitted_project)["id"]

    with pytest.raises(workflow.PermissionDenied):
        workflow.update_partner(wf, other_owner, submitted_project, pid, status="confirmed")
    with pytest.raises(TransitionNotAllowed) as frozen:
        workflow.update_partner(wf, owner, submitted_project, pid, status="confirmed")

    assert frozen.value.problem.code == "part_frozen"


def test_a_gate_asking_for_a_confirmed_approved_research_partner_says_what_is_missing(
    db, tmp_path, owner_of, research_org_of
):
    (tmp_path / "lab_strict.yaml").write_text(STRICT)
    wf = make_workflow(db, DATA, tmp_path)
    owner, org = owner_of(wf), research_org_of(wf)
    project = workflow.create_project(wf, owner, definition="lab_strict", title="Streng")

    def verdict():
        (gate,) = workflow.get_project(wf, project).next_gates
        (need,) = [r for r in gate["requires"] if r["kind"] == "partners"]
        return need["met"], need["code"], need["params"]["present"]

    none = verdict()
    pid = workflow.add_partner(wf, owner, project, organisation_id=org)
    invited = verdict()
    workflow.update_partner(wf, owner, project, pid, status="confirmed")
    unapproved = verdict()
    with wf.db.write() as conn:
        conn.execute(update(table(Organisation)).values(approved_research=True))
    approved = verdict()

    assert none == (False, "partners_missing", 0)
    assert invited == (False, "partners_status_missing", 0)
    assert unapproved == (False, "partners_approval_missing", 0)
    assert approved == (True, "partners_enough", 1)


@pytest.fixture
def owner_of():
    def make(wf):
        workflow.add_user(
            wf, email="o@example.no", name="Olivia", role="owner", password="password123"
        )
        return workflow.get_actor(wf, email="o@example.no")

    return make


@pytest.fixture
def research_org_of():
    return lambda wf: workflow.add_organisation(wf, None, name="NTNU IDI", type="research")


def test_the_migration_folds_a_second_role_into_one_partner_who_had_confirmed(
    wf, project, research_org
):
    config = alembic_config(wf.db.engine)
    with wf.db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")  # just before partner statuses
        conn.commit()
    added = datetime(2026, 3, 1, 12, 0)
    try:
        with wf.db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO project_partners (project_id, organisation_id, role, added_at)"
                    " VALUES (:p, :o, 'FoU', :t), (:p, :o, 'Veileder', :t)"
                ),
                {"p": project, "o": research_org, "t": added},
            )
    finally:
        upgrade(wf.db.engine)  # the other tests need the newest schema, whatever happened here

    folded = partner(wf, project)
    assert (folded["role"], folded["status"]) == ("FoU, Veileder", "confirmed")
    assert folded["invited_on"] == folded["confirmed_on"] == date(2026, 3, 1)
