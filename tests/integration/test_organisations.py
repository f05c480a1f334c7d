"""The organisation registry: its rules, its merge and its own trail, on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

import workflow
from workflow import Duplicate, InvalidInput, NotFound, PermissionDenied
from workflow.services.organisations import valid_org_number
from workflow.store.tables import OrganisationEvent, ProjectPartner, User, table

org_events = table(OrganisationEvent)
partners = table(ProjectPartner)
users = table(User)

NTNU = "974767880"
SINTEF = "948007029"


def trail(wf, organisation_id):
    """The registry events of an organisation: (action, actor_id, payload), oldest first."""
    with wf.db.read() as conn:
        rows = conn.execute(
            select(org_events.c.action, org_events.c.actor_id, org_events.c.payload)
            .where(org_events.c.organisation_id == organisation_id)
            .order_by(org_events.c.id)
        ).all()
    return [tuple(r) for r in rows]


def faults(wf):
    with wf.db.read() as conn:
        return list(workflow.verify_chains(conn))


@pytest.mark.parametrize("number", [NTNU, SINTEF, "938644500", "974760673"])
def test_real_organisation_numbers_pass_the_mod_11_check(number):
    assert valid_org_number(number)


@pytest.mark.parametrize(
    "number",
    ["974767881", "97476788", "9747678800", "97476788a", "٩٧٤٧٦٧٨٨٠", "", "000000010"],
)
def test_wrong_organisation_numbers_fail(number):
    assert not valid_org_number(number)


def test_a_coordinator_registers_an_organisation_with_every_field(wf, coordinator):
    parent = workflow.add_organisation(wf, coordinator, name="NTNU", type="research")
    oid = workflow.add_organisation(
        wf,
        coordinator,
        name="  Institutt for datateknologi ",
        type="research",
        org_number="974 767 880",
        parent_id=parent,
        approved_research=True,
        keywords=[" KI ", "ki", "maskinlæring", "", "Læring  og  helse"],
        thematic_areas=["smartby", "helse_velferd"],
        description="Forskningsmiljø",
        contacts=[{"name": "Kari", "email": "Kari@NTNU.no", "role": "Leder"}],
    )
    org = workflow.get_organisation(wf, oid)
    assert org["name"] == "Institutt for datateknologi"
    assert org["key"] == "institutt-for-datateknologi"
    assert org["org_number"] == NTNU
    assert org["keywords"] == ["KI", "maskinlæring", "Læring og helse"]
    assert org["thematic_areas"] == ["helse_velferd", "smartby"]
    assert org["contacts"] == [{"name": "Kari", "email": "kari@ntnu.no", "role": "Leder"}]
    assert org["parent"] == {"id": parent, "name": "NTNU"}
    assert org["approved_research"] is True
    assert org["active"] is True
    assert org["confirmed"]
    assert workflow.get_organisation(wf, parent)["children"] == [
        {"id": oid, "name": "Institutt for datateknologi", "active": True}
    ]
    assert trail(wf, oid) == [("created", coordinator.id, {"name": org["name"]})]


def test_bad_values_are_refused_naming_each_field(wf, coordinator):
    with pytest.raises(InvalidInput) as caught:
        workflow.add_organisation(
            wf,
            coordinator,
            name="",
            type="alien",
            org_number="974767881",
            parent_id=999,
            keywords=["x" * 61],
            thematic_areas=["moon"],
            contacts=[{"name": "", "email": "not-mail"}, "Kari"],
        )
    assert {k: p.code for k, p in caught.value.fields.items()} == {
        "name": "length_between",
        "type": "not_one_of",
        "org_number": "not_org_number",
        "keywords": "keyword_wrong",
        "thematic_areas": "not_one_of",
        "contacts.0.name": "length_between",
        "contacts.0.email": "not_email",
        "contacts.1": "not_contact",
    }
    with pytest.raises(InvalidInput) as caught:
        workflow.add_organisation(wf, coordinator, name="A", type="public", parent_id=999)
    assert caught.value.fields["parent_id"].code == "unknown_organisation"
    with pytest.raises(InvalidInput) as caught:
        workflow.add_organisation(
            wf, coordinator, name="A", type="public", keywords=[f"k{n}" for n in range(31)]
        )
    assert caught.value.fields["keywords"].code == "too_many"


def test_a_taken_organisation_number_or_key_is_a_duplicate(wf, coordinator):
    first = workflow.add_organisation(
        wf, coordinator, name="NTNU", type="research", org_number=NTNU
    )
    with pytest.raises(Duplicate) as caught:
        workflow.add_organisation(wf, coordinator, name="Kopi", type="research", org_number=NTNU)
    assert caught.value.fields["org_number"].code == "org_number_taken"
    with pytest.raises(Duplicate):
        workflow.add_organisation(wf, coordinator, name="NTNU", type="research")
    other = workflow.add_organisation(wf, coordinator, name="SINTEF", type="research")
    with pytest.raises(Duplicate):
        workflow.update_organisation(wf, coordinator, other, org_number=NTNU)
    # its own number again is no change, and no conflict
    assert workflow.update_organisation(wf, coordinator, first, org_number=NTNU) == []


def test_an_organisation_cannot_be_its_own_ancestor(wf, coordinator):
    top = workflow.add_organisation(wf, coordinator, name="NTNU", type="research")
    mid = workflow.add_organisation(wf, coordinator, name="IE", type="research", parent_id=top)
    low = workflow.add_organisation(wf, coordinator, name="IDI", type="research", parent_id=mid)
    for organisation, parent in ((top, top), (top, mid), (top, low), (mid, low)):
        with pytest.raises(InvalidInput) as caught:
            workflow.update_organisation(wf, coordinator, organisation, parent_id=parent)
        assert caught.value.fields["parent_id"].code == "parent_cycle", (organisation, parent)
    # moving a leaf elsewhere is fine, and so is clearing the parent
    assert workflow.update_organisation(wf, coordinator, low, parent_id=top) == ["parent_id"]
    assert workflow.update_organisation(wf, coordinator, mid, parent_id=None) == ["parent_id"]


def test_edit_changes_given_fields_replaces_contacts_and_is_on_the_trail(wf, coordinator):
    oid = workflow.add_organisation(
        wf, coordinator, name="NAV", type="public", contacts=[{"name": "A"}, {"name": "B"}]
    )
    changed = workflow.update_organisation(
        wf,
        coordinator,
        oid,
        name="NAV Trøndelag",
        contacts=[{"name": "C", "email": "c@nav.no", "role": ""}],
        approved_research=False,
    )
    assert changed == ["contacts", "name"]
    org = workflow.get_organisation(wf, oid)
    assert org["name"] == "NAV Trøndelag"
    assert org["contacts"] == [{"name": "C", "email": "c@nav.no", "role": ""}]
    assert trail(wf, oid)[-1] == ("edited", coordinator.id, {"changed": ["contacts", "name"]})
    with pytest.raises(InvalidInput) as caught:
        workflow.update_organisation(wf, coordinator, oid, colour="red")
    assert caught.value.fields["colour"].code == "unknown_organisation_field"
    with pytest.raises(NotFound):
        workflow.update_organisation(wf, coordinator, 9999, name="X")


def test_deactivated_organisations_leave_pick_lists_but_stay_on_projects(
    wf, coordinator, owner, new_lab_project
):
    oid = workflow.add_organisation(wf, coordinator, name="Gammel AS", type="business")
    workflow.add_partner(wf, owner, new_lab_project, organisation_id=oid)
    assert workflow.deactivate_organisation(wf, coordinator, oid) is True
    assert workflow.deactivate_organisation(wf, coordinator, oid) is False
    assert oid not in {o["id"] for o in workflow.organisation_choices(wf)}
    assert oid not in {o["id"] for o in workflow.list_organisations(wf).items}
    assert oid in {o["id"] for o in workflow.list_organisations(wf, active=None).items}
    view = workflow.get_project(wf, new_lab_project)
    assert [p["organisation_id"] for p in view.partners] == [oid]
    assert workflow.reactivate_organisation(wf, coordinator, oid) is True
    assert oid in {o["id"] for o in workflow.organisation_choices(wf)}
    assert [a for a, _, _ in trail(wf, oid)] == ["created", "deactivated", "reactivated"]


@pytest.fixture
def new_lab_project(wf, owner):
    return workflow.create_project(wf, owner, definition="lab", title="Prosjekt")


def test_only_coordinators_and_admins_write_the_registry(wf, owner, kommune, admin, coordinator):
    oid = workflow.add_organisation(wf, admin, name="Admin AS", type="business")
    other = workflow.add_organisation(wf, coordinator, name="Annen AS", type="business")
    for actor in (owner, kommune):
        for call in (
            lambda a: workflow.add_organisation(wf, a, name="X", type="business"),
            lambda a: workflow.update_organisation(wf, a, oid, name="Y"),
            lambda a: workflow.deactivate_organisation(wf, a, oid),
            lambda a: workflow.confirm_organisation(wf, a, oid),
            lambda a: workflow.merge_organisations(wf, a, oid, into=other),
        ):
            with pytest.raises(PermissionDenied):
                call(actor)
    assert [a for a, _, _ in trail(wf, oid)] == ["created"]


def test_an_owner_proposes_and_a_coordinator_confirms(wf, owner, coordinator):
    workflow.add_organisation(wf, coordinator, name="Ny Bedrift", type="business")
    oid = workflow.propose_organisation(wf, owner, name="Ny Bedrift", type="business")
    org = workflow.get_organisation(wf, oid)
    assert org["confirmed"] is False
    assert org["key"] == "ny-bedrift-2"
    waiting = workflow.list_organisations(wf, confirmed=False).items
    assert [o["id"] for o in waiting] == [oid]
    assert workflow.confirm_organisation(wf, coordinator, oid) is True
    assert workflow.confirm_organisation(wf, coordinator, oid) is False
    assert workflow.get_organisation(wf, oid)["confirmed"] is True
    assert [(a, who) for a, who, _ in trail(wf, oid)] == [
        ("proposed", owner.id),
        ("confirmed", coordinator.id),
    ]


def test_the_list_filters_and_searches_every_letter_case_insensitively(wf, coordinator):
    workflow.add_organisation(
        wf,
        coordinator,
        name="NTNU",
        type="research",
        approved_research=True,
        keywords=["Maskinlæring"],
        thematic_areas=["helse_velferd"],
    )
    workflow.add_organisation(
        wf, coordinator, name="Øya AS", type="business", description="Skoleutvikling"
    )
    workflow.add_organisation(wf, coordinator, name="Trondheim kommune", type="public")

    def names(**filters):
        return [o["name"] for o in workflow.list_organisations(wf, **filters).items]

    assert names(q="MASKINLÆRING") == ["NTNU"]
    assert names(q="øya") == ["Øya AS"]
    assert names(q="skoleutvikling") == ["Øya AS"]
    assert names(q="trondheim-kommune") == ["Trondheim kommune"]  # the key
    assert names(thematic_area="helse_velferd") == ["NTNU"]
    assert names(approved_research=True) == ["NTNU"]
    assert names(type="public") == ["Trondheim kommune"]
    page = workflow.list_organisations(wf, per_page=2, page=2)
    assert page.total == 3
    assert [o["name"] for o in page.items] == ["Øya AS"]
    with pytest.raises(InvalidInput):
        workflow.list_organisations(wf, thematic_area="moon")


def test_merge_moves_partners_users_and_children_and_audits_each_project(
    wf, coordinator, owner, create_user
):
    survivor = workflow.add_organisation(wf, coordinator, name="NTNU", type="research")
    duplicate = workflow.add_organisation(wf, coordinator, name="N.T.N.U.", type="research")
    child = workflow.add_organisation(
        wf, coordinator, name="IDI", type="research", parent_id=duplicate
    )
    both = workflow.create_project(wf, owner, definition="lab", title="Begge")
    only = workflow.create_project(wf, owner, definition="lab", title="Bare duplikat")
    untouched = workflow.create_project(wf, owner, definition="lab", title="Uberørt")
    workflow.add_partner(wf, owner, both, organisation_id=survivor, role="FoU")
    workflow.add_partner(wf, owner, both, organisation_id=duplicate, role="FoU-partner")
    workflow.add_partner(wf, owner, only, organisation_id=duplicate, role="FoU")
    workflow.add_partner(wf, owner, untouched, organisation_id=survivor)
    with wf.db.write() as conn:  # the duplicate's row in `both` got further
        conn.execute(
            update(partners)
            .where(partners.c.project_id == both, partners.c.organisation_id == duplicate)
            .values(
                status="letter_of_intent",
                invited_on=date(2026, 1, 5),
                confirmed_on=date(2026, 2, 1),
                letter_of_intent_on=date(2026, 3, 1),
            )
        )
        conn.execute(
            update(partners)
            .where(partners.c.project_id == both, partners.c.organisation_id == survivor)
            .values(invited_on=date(2025, 12, 1))
        )
    member = create_user("owner")
    with wf.db.write() as conn:
        conn.execute(update(users).where(users.c.id == member.id).values(organisation_id=duplicate))
    versions = {p: workflow.get_project(wf, p).project["version"] for p in (both, only, untouched)}

    moved = workflow.merge_organisations(wf, coordinator, duplicate, into=survivor)

    assert sorted(moved) == sorted([both, only])
    with wf.db.read() as conn:
        rows = conn.execute(
            select(
                partners.c.project_id,
                partners.c.organisation_id,
                partners.c.status,
                partners.c.invited_on,
                partners.c.letter_of_intent_on,
            ).order_by(partners.c.project_id)
        ).all()
        member_org = conn.execute(
            select(users.c.organisation_id).where(users.c.id == member.id)
        ).scalar_one()
    assert [tuple(r) for r in rows] == [
        (both, survivor, "letter_of_intent", date(2025, 12, 1), date(2026, 3, 1)),
        (only, survivor, "invited", wf.today(), None),
        (untouched, survivor, "invited", wf.today(), None),
    ]
    assert member_org == survivor
    assert workflow.get_organisation(wf, child)["parent"]["id"] == survivor
    gone = workflow.get_organisation(wf, duplicate)
    assert gone["active"] is False
    assert gone["merged_into"] == survivor
    for pid in (both, only):
        view = workflow.get_project(wf, pid)
        assert view.project["version"] == versions[pid] + 1
        last = workflow.project_events(wf, pid)[-1]
        assert last["action"] == "partner_merged"
        assert last["actor_id"] == coordinator.id
        assert last["payload"]["from_organisation_id"] == duplicate
        assert last["payload"]["to_organisation_id"] == survivor
    assert workflow.get_project(wf, untouched).project["version"] == versions[untouched]
    assert faults(wf) == []
    assert trail(wf, duplicate)[-1][0] == "merged"
    assert trail(wf, survivor)[-1][0] == "merged_in"
    # merged once is final
    with pytest.raises(InvalidInput):
        workflow.reactivate_organisation(wf, coordinator, duplicate)
    with pytest.raises(InvalidInput):
        workflow.merge_organisations(wf, coordinator, duplicate, into=survivor)


def test_merge_refuses_itself_an_unknown_or_inactive_survivor(wf, coordinator):
    a = workflow.add_organisation(wf, coordinator, name="A", type="public")
    b = workflow.add_organisation(wf, coordinator, name="B", type="public")
    for into, code in ((a, "merge_into_itself"), (9999, "unknown_organisation")):
        with pytest.raises(InvalidInput) as caught:
            workflow.merge_organisations(wf, coordinator, a, into=into)
        assert caught.value.fields["into"].code == code
    workflow.deactivate_organisation(wf, coordinator, b)
    with pytest.raises(InvalidInput) as caught:
        workflow.merge_organisations(wf, coordinator, a, into=b)
    assert caught.value.fields["into"].code == "organisation_inactive"
    with pytest.raises(NotFound):
        workflow.merge_organisations(wf, coordinator, 9999, into=a)
    assert [x for x, _, _ in trail(wf, a)] == ["created"]


def test_merging_a_parent_into_its_child_leaves_no_cycle(wf, coordinator):
    top = workflow.add_organisation(wf, coordinator, name="Top", type="research")
    dup = workflow.add_organisation(wf, coordinator, name="Dup", type="research", parent_id=top)
    mid = workflow.add_organisation(wf, coordinator, name="Mid", type="research", parent_id=dup)
    low = workflow.add_organisation(wf, coordinator, name="Low", type="research", parent_id=mid)
    workflow.merge_organisations(wf, coordinator, dup, into=low)
    assert workflow.get_organisation(wf, low)["parent"]["id"] == top
    assert workflow.get_organisation(wf, mid)["parent"]["id"] == low
