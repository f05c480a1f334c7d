"""The project room (issue #14): roles, co-editors, typed versioned attachments in the
content-addressed store, and the ``roles``/``attachments`` requirement kinds."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select, update

import workflow
from tests.conftest import make_workflow
from workflow import (
    DefinitionError,
    InvalidInput,
    PermissionDenied,
    StaleVersion,
    TooLarge,
    TransitionNotAllowed,
)
from workflow.store.files import FileStore
from workflow.store.tables import events, outbox, projects

ROOM = """
key: room
version: 1
title: {nb: Rom, en: Room}
description: {nb: Til tester., en: For tests.}
project_roles:
  - {key: project_manager, label: {nb: Prosjektleder, en: Project manager}}
  - {key: administrative_contact, label: {nb: Administrativt ansvarlig, en: Administrative contact}}
attachment_types:
  - {key: project_description, label: {nb: Prosjektbeskrivelse, en: Project description}}
  - {key: cv, label: {nb: CV, en: CV}}
stages:
  - {key: idea, title: {nb: Idé, en: Idea}, sla_days: 30, guidance: {nb: Gjør., en: Do.}}
  - {key: done, title: {nb: Ferdig, en: Done}, final: true}
gates:
  - key: go
    from: idea
    to: done
    title: {nb: Videre, en: Onward}
    requires:
      roles: [administrative_contact]
      attachments: [project_description]
"""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LIMIT = 1 << 20


@pytest.fixture
def room(db, wf, tmp_path: Path):
    """The room definition (after ``wf``, whose set-up empties the tables)."""
    (tmp_path / "room.yaml").write_text(ROOM, encoding="utf-8")
    return make_workflow(db, tmp_path)


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(str(tmp_path / "uploads"))


@pytest.fixture
def project(room, owner) -> int:
    return workflow.create_project(room, owner, definition="room", title="Romprosjekt")


def upload(room, actor, project, store, data: bytes, name: str = "beskrivelse.pdf", **kw):
    return workflow.upload_attachment(
        room,
        actor,
        project,
        type=kw.pop("type", "project_description"),
        stream=io.BytesIO(data),
        filename=name,
        store=store,
        limit=kw.pop("limit", LIMIT),
        **kw,
    )


def requires(room, project) -> dict[str, bool]:
    (gate,) = workflow.get_project(room, project).next_gates
    return {f"{r['kind']}:{r['key']}": r["met"] for r in gate["requires"]}


def test_a_gate_asks_for_a_role_and_an_attachment_until_both_are_there(
    room, owner, other_owner, store, project
):
    assert requires(room, project) == {
        "roles:administrative_contact": False,
        "attachments:project_description": False,
    }
    version = workflow.set_roles(room, owner, project, {"administrative_contact": other_owner.id})
    assert workflow.project_roles_of(room, project)["administrative_contact"]["id"] == (
        other_owner.id
    )
    first = upload(room, owner, project, store, PDF, expected_version=version)
    second = upload(room, owner, project, store, PDF + b"%v2\n", name="Søknad æøå.pdf")
    assert requires(room, project) == {
        "roles:administrative_contact": True,
        "attachments:project_description": True,
    }
    listed = workflow.list_attachments(room, project)
    assert [(a["id"], a["version"], a["current"]) for a in listed] == [
        (second, 2, True),
        (first, 1, False),
    ]
    assert listed[0]["filename"] == "Søknad æøå.pdf"
    assert listed[0]["content_type"] == "application/pdf"
    row, stream = workflow.attachment_file(room, store, project, first)
    with stream:
        assert stream.read() == PDF
    assert row["size"] == len(PDF)
    with room.db.read() as conn:
        actions = conn.execute(
            select(events.c.action).where(events.c.project_id == project).order_by(events.c.seq)
        ).scalars()
        assert list(actions) == ["created", "roles_set", "attachment_added", "attachment_added"]


def test_the_project_manager_co_edits_and_others_do_not(
    room, owner, other_owner, coordinator, store, project
):
    with pytest.raises(PermissionDenied):
        upload(room, other_owner, project, store, PDF)
    with pytest.raises(PermissionDenied):
        workflow.set_roles(room, other_owner, project, {"project_manager": other_owner.id})
    workflow.set_roles(room, owner, project, {"project_manager": other_owner.id})
    upload(room, other_owner, project, store, PDF)
    view = workflow.get_project(room, project)
    assert workflow.may_edit_project(room, view.project, other_owner.id)
    assert not workflow.may_edit_project(room, view.project, coordinator.id)
    workflow.update_project(room, other_owner, project, title="Omdøpt av prosjektleder")
    # a PUT is the whole set: a role left out is emptied
    workflow.set_roles(room, owner, project, {})
    assert workflow.project_roles_of(room, project) == {}
    with pytest.raises(PermissionDenied):
        upload(room, other_owner, project, store, PDF)


def test_bad_roles_and_stale_versions_are_refused(room, owner, project):
    with pytest.raises(InvalidInput) as bad:
        workflow.set_roles(room, owner, project, {"captain": owner.id, "project_manager": 999})
    assert set(bad.value.fields) == {"captain", "project_manager"}
    assert bad.value.fields["project_manager"].code == "no_such_user"
    with pytest.raises(StaleVersion):
        workflow.set_roles(room, owner, project, {}, expected_version=7)


def mails_to(room, email: str) -> list[tuple[str, str]]:
    with room.db.read() as conn:
        rows = conn.execute(
            select(outbox.c.subject, outbox.c.body).where(outbox.c.recipient_email == email)
        ).all()
    return [(r.subject, r.body) for r in rows]


def test_roles_are_named_by_email_and_each_new_holder_is_told_once(
    room, owner, other_owner, coordinator, project
):
    workflow.set_roles(
        room,
        owner,
        project,
        {"project_manager": f"  {other_owner.email.upper()} ", "administrative_contact": owner.id},
    )
    held = workflow.project_roles_of(room, project)
    assert held["project_manager"]["id"] == other_owner.id
    assert held["administrative_contact"]["id"] == owner.id
    ((subject, body),) = mails_to(room, other_owner.email)
    assert subject == "Du er prosjektleder i «Romprosjekt»"
    assert "Olivia Owner har satt deg som prosjektleder" in body
    assert f"/projects/{project}" in body
    assert mails_to(room, owner.email) == []  # naming yourself needs no mail
    # the same holders again: nothing changes, nobody is told twice
    workflow.set_roles(
        room,
        owner,
        project,
        {"project_manager": other_owner.id, "administrative_contact": owner.id},
    )
    assert len(mails_to(room, other_owner.email)) == 1
    workflow.set_roles(room, owner, project, {"administrative_contact": coordinator.email})
    assert [s for s, _ in mails_to(room, coordinator.email)] == [
        "Du er administrativt ansvarlig i «Romprosjekt»"
    ]


def test_a_role_by_an_unknown_or_malformed_address_names_the_role(room, owner, project):
    with pytest.raises(InvalidInput) as bad:
        workflow.set_roles(
            room,
            owner,
            project,
            {"project_manager": "nobody@example.no", "administrative_contact": "not an address"},
        )
    assert bad.value.fields["project_manager"].code == "no_user_with_email"
    assert bad.value.fields["project_manager"].params == {"email": "nobody@example.no"}
    assert bad.value.fields["administrative_contact"].code == "not_email"
    assert workflow.project_roles_of(room, project) == {}


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("fake.pdf", b"this is not a pdf at all", "file_content_mismatch"),
        ("bilde.png", PDF, "file_content_mismatch"),
        ("program.exe", b"MZ\x90\x00", "file_type_not_allowed"),
        ("zip.docx", b"PK\x03\x04garbage", "file_content_mismatch"),
        ("tom.pdf", b"", "file_empty"),
    ],
)
def test_the_bytes_must_be_what_the_name_says(room, owner, store, project, name, data, code):
    with pytest.raises(InvalidInput) as refused:
        upload(room, owner, project, store, data, name=name)
    assert refused.value.fields["file"].code == code
    assert workflow.list_attachments(room, project) == []


def test_office_files_are_told_apart_by_what_the_zip_holds(room, owner, store, project):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    upload(room, owner, project, store, docx.getvalue(), name="cv.docx", type="cv")
    with pytest.raises(InvalidInput):
        upload(room, owner, project, store, docx.getvalue(), name="cv.xlsx", type="cv")
    (row,) = workflow.list_attachments(room, project)
    assert row["content_type"].endswith("wordprocessingml.document")


def test_too_large_unknown_type_and_frozen_projects_are_refused(room, owner, store, project):
    with pytest.raises(TooLarge):
        upload(room, owner, project, store, PDF + b"x" * 100, limit=len(PDF))
    with pytest.raises(InvalidInput) as unknown:
        upload(room, owner, project, store, PDF, type="budget")
    assert unknown.value.fields["type"].code == "not_one_of"
    for status in ("in_review", "completed", "killed"):
        with room.db.write() as conn:
            conn.execute(update(projects).where(projects.c.id == project).values(status=status))
        with pytest.raises(TransitionNotAllowed):
            upload(room, owner, project, store, PDF)


def test_a_gate_may_only_ask_for_declared_roles_and_types(tmp_path: Path):
    bad = ROOM.replace("roles: [administrative_contact]", "roles: [captain]").replace(
        "attachments: [project_description]", "attachments: [budget]"
    )
    (tmp_path / "room.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(DefinitionError) as refused:
        workflow.load_definitions([tmp_path])
    text = str(refused.value)
    assert "room.yaml" in text
    assert "gates[0].requires.roles[0]: unknown project role 'captain'" in text
    assert "gates[0].requires.attachments[0]: unknown attachment type 'budget'" in text


def test_report_reminders_go_to_the_owner_and_the_report_roles_each_once(
    room, owner, other_owner, coordinator, project
):
    from datetime import UTC, date, datetime

    from workflow.jobs.report_reminders import remind_reports

    # the owner is also the administrative contact: one mail for them, one for the manager
    workflow.set_roles(
        room,
        owner,
        project,
        {"project_manager": other_owner.id, "administrative_contact": owner.id},
    )
    told_of_role = len(mails_to(room, other_owner.email))
    workflow.add_report(room, owner, project, kind="progress", due_on=date(2027, 3, 1))
    as_of = datetime(2027, 2, 15, 6, tzinfo=UTC)
    assert remind_reports(room, as_of=as_of, zone=room.zone).queued == 2
    assert remind_reports(room, as_of=as_of, zone=room.zone).queued == 0
    with room.db.read() as conn:
        to = conn.execute(select(outbox.c.recipient_id).order_by(outbox.c.id)).scalars().all()
    assert told_of_role == 1
    assert sorted(to[told_of_role:]) == sorted([owner.id, other_owner.id])
    assert coordinator.id not in to


def test_the_room_migration_adds_its_tables_and_keeps_projects(wf, ready_project):
    from alembic import command
    from sqlalchemy import inspect

    from workflow.store.migrate import alembic_config, upgrade

    config = alembic_config(wf.db.engine)
    with wf.db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")  # just before the room
        conn.commit()
    try:
        names = inspect(wf.db.engine).get_table_names()
        assert "project_roles" not in names
        assert "attachments" not in names
    finally:
        upgrade(wf.db.engine)  # the other tests need the newest schema, whatever happened here
    names = inspect(wf.db.engine).get_table_names()
    assert {"project_roles", "attachments"} <= set(names)
    assert workflow.project_roles_of(wf, ready_project) == {}
    assert workflow.list_attachments(wf, ready_project) == []


def test_the_daily_sweep_removes_only_old_files_no_attachment_refers_to(
    room, owner, store, project
):
    import os
    from datetime import timedelta

    from tests.conftest import EPOCH
    from workflow.jobs.file_cleanup import remove_orphan_files

    upload(room, owner, project, store, PDF)
    (kept,) = [a["sha256"] for a in workflow.list_attachments(room, project)]
    orphan = store.put(io.BytesIO(b"refused upload")).digest
    again = store.put(io.BytesIO(b"uploaded again later")).digest
    fresh = store.put(io.BytesIO(b"an upload in flight")).digest
    leftover = Path(store.root) / "tmp" / "interrupted"
    leftover.write_bytes(b"half")
    old = (EPOCH - timedelta(days=3)).timestamp()
    for path in (*(Path(store.path(d)) for d in (kept, orphan, again)), leftover):
        os.utime(path, (old, old))
    store.put(io.BytesIO(b"uploaded again later"))  # the same bytes again: new once more

    report = remove_orphan_files(room, store, as_of=room.clock())
    assert report.removed == 1
    assert not store.exists(orphan)
    assert all(store.exists(d) for d in (kept, again, fresh))
    assert not leftover.exists()
    # nothing left to do: the sweep is idempotent
    assert remove_orphan_files(room, store, as_of=room.clock()).removed == 0
