"""A person's data (SPEC §3 ``person export|erase``, GDPR art. 15/17): the export holds
their data; after erasure no table holds their name or address anywhere, and the audit
trail still verifies — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, insert, select

import workflow
from tests.conftest import GO, ROOT
from webapp.cli import main
from workflow import NotFound, PermissionDenied
from workflow.services.persons import erase_person, export_person
from workflow.store.tables import contacts, outbox

NAME = "Gunnhild Særprægsdottir"


@pytest.fixture
def person(create_user):
    """A gatekeeper with a distinctive name (non-ASCII letters included)."""
    return create_user("gatekeeper", group="kommune", name=NAME)


@pytest.fixture
def traces(wf, person, owner, submitted_project, research_org):
    """The person's vote (its comment naming them), a contact entry with their address, a
    mail to them and one about them, and an API token."""
    workflow.decide_gate(
        wf,
        person,
        submitted_project,
        decision="go",
        scores=GO,
        comment=f"Jeg, {NAME.upper()}, anbefaler dette ({person.email}).",
    )
    with wf.db.write() as conn:
        conn.execute(
            insert(contacts).values(
                organisation_id=research_org, name=NAME, email=person.email, role="Kontakt"
            )
        )
        now = wf.clock()
        for to, body in ((person.email, f"Hei {NAME}"), ("x@example.no", f"{NAME} stemte")):
            conn.execute(
                insert(outbox).values(
                    recipient_email=to,
                    recipient_id=person.id if to == person.email else None,
                    language="nb",
                    subject="Samspill",
                    body=body,
                    project_id=submitted_project,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    workflow.create_token(wf, person.email)
    other = workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Oppfølging",
        summary="Oppfølging hjemme.",
        fields={"need": f"Spør {NAME} ({person.email})"},
    )
    workflow.add_partner(wf, owner, other, organisation_id=research_org, role=f"via {NAME}")
    return submitted_project


def _dump(wf, email: str) -> dict:
    return json.loads("".join(export_person(wf, email)))


def test_the_export_holds_the_persons_data_in_sections(wf, person, traces):
    data = _dump(wf, person.email.upper())
    sections = data["sections"]
    assert sections["account"][0]["name"] == NAME
    assert [v["decision"] for v in sections["votes"]] == ["go"]
    assert NAME.upper() in sections["votes"][0]["comment"]
    assert {e["action"] for e in sections["events"]} == {"voted"}
    assert sections["organisation_contacts"][0]["email"] == person.email
    assert f"Hei {NAME}" in {m["body"] for m in sections["mail"]}
    assert len(sections["api_tokens"]) == 1
    assert "token_hash" not in sections["api_tokens"][0]


def test_an_unknown_person_is_not_found(wf):
    with pytest.raises(NotFound, match=r"nobody@example\.no"):
        export_person(wf, "nobody@example.no")


def test_only_admins_erase(wf, person, coordinator):
    with pytest.raises(PermissionDenied):
        erase_person(wf, coordinator, person.email)


def _texts_holding(db, needles: list[str]) -> list[str]:
    """Every (table.column) whose stored value holds a needle, in any case: each table and
    column the database has, found by inspection."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    found = []
    with db.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                for column, value in row.items():
                    text = (
                        json.dumps(value, ensure_ascii=False, default=str)
                        if not isinstance(value, str)
                        else value
                    ).casefold()
                    if any(n.casefold() in text for n in needles):
                        found.append(f"{table.name}.{column}")
    return found


def test_erasure_leaves_no_trace_and_the_audit_trail_verifies(wf, db, admin, person, traces):
    needles = [NAME, person.email]
    token = workflow.create_token(wf, person.email)
    assert _texts_holding(db, needles)  # the scan sees them before

    done = erase_person(wf, admin, person.email)

    assert _texts_holding(db, needles) == []
    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []
    assert done.email == f"erased-{person.id}@invalid"
    assert done.projects == 2
    assert done.events == 2  # the vote, and the partner added "via" them
    assert workflow.authenticate(wf, done.email, "password123", address="1.2.3.4").actor is None
    assert workflow.actor_for_token(wf, token) is None
    data = _dump(wf, done.email)
    assert {t["revoked_at"] is not None for t in data["sections"]["api_tokens"]} == {True}
    assert [e["action"] for e in data["sections"]["account_events"]] == ["erased"]
    project_events = workflow.project_events(wf, traces)
    assert project_events[-1]["action"] == "personal_data_erased"
    assert project_events[-1]["payload"]["redacted_events"]


def test_the_command_line_exports_erases_and_the_trail_verifies(tmp_path):
    env = {
        "SAMSPILL_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "SAMSPILL_DEFINITIONS": str(ROOT / "definitions"),
    }
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None):
        return runner.invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)

    assert run("init").exit_code == 0
    email = "siv.saerpreg@trondheim.kommune.example"
    added = run(
        "user",
        "add",
        email,
        "--name",
        "Siv Særpreg",
        "--role",
        "owner",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    assert added.exit_code == 0, added.output
    exported = run("person", "export", email)
    assert exported.exit_code == 0
    assert json.loads(exported.output)["sections"]["account"][0]["name"] == "Siv Særpreg"
    missing = run("person", "export", "nobody@example.no")
    assert missing.exit_code == 1
    assert missing.output.strip().count("\n") == 0
    assert "nobody@example.no" in missing.output
    erased = run("person", "erase", email)
    assert erased.exit_code == 0, erased.output
    assert run("person", "export", email).exit_code == 1
    again = run("person", "erase", "erased-1@invalid")
    assert again.exit_code == 1
    assert "erased already" in again.output
    assert run("audit", "verify").exit_code == 0


@pytest.fixture
def room_traces(wf, person, owner, submitted_project, tmp_path):
    """The person in the project room: a role, a comment of theirs and a mention of them,
    a condition they answer for, a CV named after them, a benefit they own and measure, a
    lesson naming them, and a substitute period."""
    import io
    from datetime import date

    from workflow.store.files import FileStore

    pid = workflow.create_project(wf, owner, definition="ipo", title="Velferdsteknologi")
    workflow.set_roles(wf, owner, pid, {"project_manager": person.id})
    workflow.add_comment(wf, person, pid, body=f"Hilsen {NAME}")
    workflow.add_comment(wf, owner, pid, body=f"Takk, @{person.email}!")
    workflow.upload_attachment(
        wf,
        owner,
        pid,
        type="cv",
        stream=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
        filename=f"CV {NAME}.pdf",
        store=FileStore(str(tmp_path / "uploads")),
        limit=1 << 20,
    )
    benefit = workflow.add_benefit(
        wf,
        owner,
        pid,
        description=f"Mindre reising for {NAME}",
        type="efficiency",
        chain_link="user_effect",
        indicator="Timer per uke",
        change_on="2026-09-01",
        baseline={"value": 40, "on": "2026-08-01"},
        target={"value": 10, "on": "2026-10-01"},
        owner_id=person.id,
    )
    workflow.record_measurement(
        wf, person, pid, benefit, value=12, measured_on="2026-10-02", comment=f"Målt av {NAME}"
    )
    workflow.write_lesson(wf, owner, pid, advice=f"Snakk med {NAME} tidlig")
    workflow.decide_gate(
        wf,
        person,
        submitted_project,
        decision="go",
        scores=GO,
        conditions=[
            {"text": f"Avklar med {NAME}", "responsible_id": person.id, "due_on": "2027-01-15"}
        ],
    )
    workflow.set_substitute(
        wf, person, user_id=owner.id, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 24)
    )
    return pid


def test_the_export_and_the_erasure_reach_the_project_room(
    wf, db, admin, owner, person, room_traces
):
    sections = _dump(wf, person.email)["sections"]
    assert [r["role"] for r in sections["project_roles"]] == ["project_manager"]
    assert [c["body"] for c in sections["comments"]] == [f"Hilsen {NAME}"]
    assert [c["body"] for c in sections["mentions"]] == [f"Takk, @{person.email}!"]
    assert [f["text"] for f in sections["follow_ups"]] == [f"Avklar med {NAME}"]
    assert [b["benefit_owner"] for b in sections["benefits"]] == [True]
    assert [m["comment"] for m in sections["measurements"]] == [f"Målt av {NAME}"]
    assert len(sections["substitutes"]) == 1
    assert sections["attachments"] == []  # the owner uploaded the CV, not the person
    uploaded = _dump(wf, owner.email)["sections"]["attachments"]
    assert [a["filename"] for a in uploaded] == [f"CV {NAME}.pdf"]

    erase_person(wf, admin, person.email)

    assert _texts_holding(db, [NAME, person.email]) == []
    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []
