"""The project page's roles section (issue #14): the owner names each role by email
address, the holders see their names, a bad address is refused naming the role."""

from __future__ import annotations

import workflow


def test_the_owner_names_roles_by_email_and_others_see_who_holds_them(
    login, wf, owner, other_owner, coordinator
):
    pid = workflow.create_project(wf, owner, definition="ipo", title="Velferdsteknologi")
    me = login(owner)
    page = me.text(f"/projects/{pid}")
    assert 'id="roles"' in page
    assert 'name="role-project_manager"' in page
    saved = me.post(
        f"/projects/{pid}/roles",
        {
            "csrf_token": me.token,
            "version": "1",
            "role-project_manager": other_owner.email.upper(),
            "role-administrative_contact": "",
        },
        follow_redirects=True,
    )
    body = saved.get_data(as_text=True)
    assert "Rollene er lagret." in body
    assert workflow.project_roles_of(wf, pid)["project_manager"]["id"] == other_owner.id
    assert f'value="{other_owner.email}"' in body

    # the project manager co-edits but does not name roles; a coordinator only reads
    manager = login(other_owner).text(f"/projects/{pid}")
    assert 'name="role-project_manager"' not in manager
    looked = login(coordinator).text(f"/projects/{pid}")
    section = looked[looked.index('id="roles"') :]
    assert "Ola Annen" in section[: section.index("</section>")]
    assert "ingen ennå" in section[: section.index("</section>")]


def test_an_unknown_address_is_refused_naming_the_role_and_changes_nothing(login, wf, owner):
    pid = workflow.create_project(wf, owner, definition="ipo", title="Velferdsteknologi")
    me = login(owner)
    me.get(f"/projects/{pid}")
    refused = me.post(
        f"/projects/{pid}/roles",
        {
            "csrf_token": me.token,
            "version": "1",
            "role-project_manager": "ukjent@example.no",
            "role-administrative_contact": "ikke en adresse",
        },
        follow_redirects=True,
    )
    body = refused.get_data(as_text=True)
    assert "Prosjektleder: Ingen aktiv bruker har adressen ukjent@example.no." in body
    assert "Administrativt ansvarlig: Må være en e-postadresse." in body
    assert workflow.project_roles_of(wf, pid) == {}


def test_someone_else_cannot_name_roles(login, wf, owner, other_owner):
    pid = workflow.create_project(wf, owner, definition="ipo", title="Velferdsteknologi")
    them = login(other_owner)
    them.get(f"/projects/{pid}")
    refused = them.post(
        f"/projects/{pid}/roles",
        {"csrf_token": them.token, "version": "1", "role-project_manager": other_owner.email},
    )
    assert refused.status_code == 403
    assert workflow.project_roles_of(wf, pid) == {}
