"""User administration in the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import workflow
from workflow import InvalidInput, PermissionDenied


def test_users_are_searched_paged_changed_and_deactivated(wf, create_user, owner):
    admin = create_user("admin", name="Åse Admin")
    for i in range(3):
        create_user("owner", name=f"Søker {i}")

    found = workflow.list_users(wf, admin, search="SØKER", per_page=2)
    assert (found.total, len(found.items), found.pages) == (3, 2, 2)
    assert workflow.list_users(wf, admin, search="100%_").total == 0

    with pytest.raises(InvalidInput, match="group"):
        workflow.update_user(wf, admin, owner.id, role="gatekeeper")
    workflow.update_user(wf, admin, owner.id, role="gatekeeper", group="kommune")
    assert workflow.get_actor(wf, user_id=owner.id).group == "kommune"

    pid = workflow.create_project(wf, owner, definition="lab", title="Åpent prosjekt")
    shown = workflow.get_user(wf, admin, owner.id)
    assert [p["id"] for p in shown["open_projects"]] == [pid]
    assert "password_hash" not in shown

    with pytest.raises(InvalidInput):
        workflow.set_active(wf, admin, admin.id, active=False)
    workflow.set_active(wf, admin, owner.id, active=False)
    with pytest.raises(workflow.NotFound):
        workflow.get_actor(wf, user_id=owner.id)
    with pytest.raises(PermissionDenied):
        workflow.list_users(wf, create_user("coordinator"))
