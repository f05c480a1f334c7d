"""User administration pages: list, search, create, change, deactivate, passwords, tokens."""

from __future__ import annotations

import re

import pytest

import workflow
from tests.webtools import Browser


@pytest.fixture
def admin(create_user):
    return create_user("admin", name="Ada Admin")


def test_an_admin_finds_creates_and_changes_users(wf, login, admin, create_user):
    create_user("owner", name="Olav Eier")
    b: Browser = login(admin)

    page = b.text("/admin/users?q=OLAV")
    assert "Olav Eier" in page
    assert f'/admin/users/{admin.id}"' not in page

    r = b.post(
        "/admin/users",
        {
            "name": "Nina Ny",
            "email": "nina@ntnu.no",
            "role": "gatekeeper",
            "group": "",
            "org": "",
            "password": "langt-passord",
        },
    )
    assert r.status_code == 400  # a gatekeeper needs a group, said on the field
    r = b.post(
        "/admin/users",
        {
            "name": "Nina Ny",
            "email": "nina@ntnu.no",
            "role": "gatekeeper",
            "group": "ntnu",
            "org": "",
            "password": "langt-passord",
        },
    )
    assert r.status_code == 302
    nina = workflow.get_actor(wf, email="nina@ntnu.no")
    assert (nina.role, nina.group) == ("gatekeeper", "ntnu")

    b.get(f"/admin/users/{nina.id}")
    r = b.post(f"/admin/users/{nina.id}", {"role": "coordinator", "group": "", "org": ""})
    assert r.status_code == 302
    assert workflow.get_actor(wf, user_id=nina.id).role == "coordinator"


def test_an_admin_resets_a_password_revokes_a_token_and_deactivates(wf, login, admin, owner):
    token = workflow.create_token(wf, owner.email)
    b = login(admin)
    page = b.text(f"/admin/users/{owner.id}")
    assert token[:12] in page

    r = b.post(f"/admin/users/{owner.id}/password", {"password": ""})
    shown = re.search(r"<code>([^<]+)</code>", r.get_data(as_text=True))
    assert r.status_code == 200
    assert shown
    assert workflow.authenticate(wf, owner.email, shown.group(1), address="1.2.3.4").actor

    (tid,) = re.findall(r"/tokens/(\d+)/revoke", page)
    b.post(f"/admin/users/{owner.id}/tokens/{tid}/revoke")
    assert workflow.actor_for_token(wf, token) is None

    b.post(f"/admin/users/{owner.id}/active", {"active": "0"})
    with pytest.raises(workflow.NotFound):
        workflow.get_actor(wf, user_id=owner.id)


def test_only_admins_see_user_administration(login, owner, create_user):
    coordinator = create_user("coordinator")
    assert login(owner).get("/admin/users").status_code == 403
    assert login(coordinator).get(f"/admin/users/{owner.id}").status_code == 403


@pytest.mark.parametrize(
    "path", ["/admin/users/abc", "/admin/users/99999999999", "/admin/users/99999999999999999999"]
)
def test_a_bad_user_id_is_a_404_not_a_500(login, admin, path):
    assert login(admin).get(path).status_code == 404


def test_a_search_too_long_or_a_bad_page_is_no_500(login, admin):
    b = login(admin)
    assert b.get("/admin/users?q=" + "x" * 5000).status_code == 200
    assert b.get("/admin/users?page=abc").status_code == 200


def test_before_deactivating_the_admin_sees_the_persons_open_work_in_words(
    wf, login, admin, owner, kommune, submitted_project
):
    pid = workflow.create_project(wf, owner, definition="ipo", title="Velferdsteknologi")
    workflow.set_roles(wf, owner, pid, {"administrative_contact": kommune.id})
    from tests.conftest import GO

    workflow.decide_gate(
        wf,
        kommune,
        submitted_project,
        decision="go",
        scores=GO,
        conditions=[
            {"text": "Signer avtalen", "responsible_id": kommune.id, "due_on": "2027-01-15"}
        ],
    )
    page = login(admin).text(f"/admin/users/{kommune.id}")
    work = page[page.index("Åpent arbeid") : page.index("Deaktiver")]
    assert "Administrativt ansvarlig: " in work
    assert "Velferdsteknologi" in work
    assert "Signer avtalen (frist 15. jan. 2027)" in work
    assert "administrative_contact" not in work
