"""Bad input to every operation: a clear error naming the field, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import workflow
from workflow import InvalidInput, NotFound, PermissionDenied
from workflow.store.tables import AuditEvent, OutboxMessage, Project, ProjectPartner, table


def snapshot(wf):
    with wf.db.read() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(table(t))).scalar_one()
            for t in (Project, AuditEvent, OutboxMessage, ProjectPartner)
        ), conn.execute(select(table(Project).c.version)).scalars().all()


CASES = [
    (
        "create: unknown definition",
        lambda wf, a, p: workflow.create_project(wf, a, definition="nope", title="x"),
        NotFound,
        None,
    ),
    (
        "create: empty title",
        lambda wf, a, p: workflow.create_project(wf, a, definition="lab", title="  "),
        InvalidInput,
        "title",
    ),
    (
        "create: huge title",
        lambda wf, a, p: workflow.create_project(wf, a, definition="lab", title="x" * 201),
        InvalidInput,
        "title",
    ),
    (
        "create: bad money",
        lambda wf, a, p: workflow.create_project(
            wf, a, definition="lab", title="x", fields={"budget": "mye"}
        ),
        InvalidInput,
        "fields.budget",
    ),
    (
        "create: unknown thematic area",
        lambda wf, a, p: workflow.create_project(
            wf, a, definition="lab", title="x", thematic_area="space"
        ),
        InvalidInput,
        "thematic_area",
    ),
    (
        "update: unknown field",
        lambda wf, a, p: workflow.update_project(wf, a, p, fields={"colour": "blue"}),
        InvalidInput,
        "fields.colour",
    ),
    (
        "update: bad date",
        lambda wf, a, p: workflow.update_project(wf, a, p, fields={"deadline": "i morgen"}),
        InvalidInput,
        "fields.deadline",
    ),
    (
        "update: unknown project",
        lambda wf, a, p: workflow.update_project(wf, a, 999_999, title="x"),
        NotFound,
        None,
    ),
    (
        "checklist: unknown item",
        lambda wf, a, p: workflow.set_checklist_item(wf, a, p, "nope", True),
        NotFound,
        None,
    ),
    (
        "checklist: not a boolean",
        lambda wf, a, p: workflow.set_checklist_item(wf, a, p, "need_described", "yes"),
        InvalidInput,
        "done",
    ),
    (
        "partner: unknown organisation",
        lambda wf, a, p: workflow.add_partner(wf, a, p, organisation_id=999_999),
        InvalidInput,
        "organisation_id",
    ),
    (
        "partner: huge role",
        lambda wf, a, p: workflow.add_partner(wf, a, p, organisation_id=1, role="r" * 101),
        InvalidInput,
        "role",
    ),
    (
        "partner: remove unknown",
        lambda wf, a, p: workflow.remove_partner(wf, a, p, 999_999),
        NotFound,
        None,
    ),
    (
        "submit: unknown gate",
        lambda wf, a, p: workflow.submit_project(wf, a, p, gate="finish"),
        InvalidInput,
        "gate",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_and_changes_nothing(wf, owner, ready_project, call, error, field):
    before = snapshot(wf)

    with pytest.raises(error) as caught:
        call(wf, owner, ready_project)

    if field:
        assert field in caught.value.fields
    assert snapshot(wf) == before


def test_another_owner_cannot_change_a_project(wf, create_user, ready_project):
    stranger = create_user("owner")
    before = snapshot(wf)

    for call in (
        lambda: workflow.update_project(wf, stranger, ready_project, title="Mitt"),
        lambda: workflow.set_checklist_item(wf, stranger, ready_project, "need_described", False),
        lambda: workflow.submit_project(wf, stranger, ready_project),
    ):
        with pytest.raises(PermissionDenied):
            call()

    assert snapshot(wf) == before
