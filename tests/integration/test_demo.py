"""The demo data of ``samspill init --demo``: built through the service layer, covering
every stage and status, with intact audit chains, and loaded only once."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

import workflow
from tests.conftest import SHIPPED, make_workflow
from webapp import create_app
from workflow import ProjectFilter, Workflow
from workflow.demo.data import DEMO_PASSWORD, USERS
from workflow.demo.modules import minimal_pdf
from workflow.demo.seed import OLD_VERSION_DAYS, load_demo, satisfy
from workflow.services.room import list_attachments, sniff
from workflow.store import tables
from workflow.store.files import FileStore

SHIPPED_KEYS = ("innovation_partnership", "innovative_procurement", "ipo", "living_lab", "mdi")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> FileStore:
    return FileStore(str(tmp_path_factory.mktemp("uploads")))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest, store: FileStore) -> tuple[Workflow, list[str]]:
    """A workflow with the demo loaded once per database for the whole module, its older
    definition versions registered and its attachments in ``store``."""
    db = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "postgres_db")
    wf = make_workflow(db)
    return wf, load_demo(wf, store=store, versions=SHIPPED / "versions")


def all_projects(wf: Workflow) -> list[dict]:
    items: list[dict] = []
    page = 1
    while True:
        found = workflow.list_projects(wf, page=page, per_page=100)
        items += found.items
        if page >= found.pages:
            return items
        page += 1


def test_the_login_lines_name_every_demo_user_with_the_password(demo):
    _, lines = demo

    assert len(lines) == len(USERS)
    for user, line in zip(USERS, lines, strict=True):
        assert user.email in line
        assert DEMO_PASSWORD in line
        assert line.startswith(user.role)


def test_every_stage_of_every_shipped_definition_has_a_project(demo):
    wf, _ = demo
    projects = all_projects(wf)

    for key in SHIPPED_KEYS:
        stages = {p["stage"] for p in projects if p["definition_key"] == key}
        assert stages == {s.key for s in wf.catalog.get(key).stages}, key


def test_killed_on_hold_in_review_completed_and_stalled_projects_are_present(demo):
    wf, _ = demo

    statuses = {p["status"] for p in all_projects(wf)}
    assert {"killed", "on_hold", "in_review", "completed", "active"} <= statuses
    assert workflow.stalled_projects(wf, as_of=wf.clock()).total > 0


def test_a_kommune_gatekeeper_has_projects_waiting_for_a_vote(demo):
    wf, _ = demo
    gatekeeper = next(u for u in USERS if u.group == "kommune")
    actor = workflow.get_actor(wf, email=gatekeeper.email)

    assert workflow.gate_queue(wf, actor).total > 0


def test_one_review_has_only_the_kommune_vote_so_far(demo):
    wf, _ = demo
    in_review = workflow.list_projects(wf, ProjectFilter(status="in_review"), per_page=100)

    groups = [
        {v["voter_group"] for v in workflow.get_project(wf, p["id"]).votes} for p in in_review.items
    ]
    assert {"kommune"} in groups


def test_histories_are_backdated_and_every_audit_chain_verifies(demo):
    wf, _ = demo
    first = min(p["created_at"] for p in all_projects(wf))

    assert (wf.clock() - first).days > 365
    with wf.db.read() as conn:
        assert list(workflow.verify_chains(conn)) == []


def test_loading_the_demo_again_changes_nothing(demo):
    wf, lines = demo
    before = workflow.list_projects(wf).total

    assert load_demo(wf) == lines
    assert workflow.list_projects(wf).total == before


def actor(wf: Workflow, key: str) -> workflow.Actor:
    return workflow.get_actor(wf, email=next(u.email for u in USERS if u.key == key))


def test_satisfy_meets_each_gate_generically_through_to_the_application(demo):
    wf, _ = demo
    owner, kommune, ntnu = actor(wf, "ingrid"), actor(wf, "anne"), actor(wf, "torunn")
    pid = workflow.create_project(wf, owner, definition="ipo", title="Ny idé")

    satisfy(wf, owner, pid, "idea_review", values={"need": "Et konkret behov"})
    workflow.submit_project(wf, owner, pid)
    scores = {"need": 4, "novelty": 4, "anchoring": 3}
    workflow.decide_gate(wf, kommune, pid, decision="go", scores=scores)
    workflow.decide_gate(wf, ntnu, pid, decision="go", scores=scores)
    satisfy(wf, owner, pid, wf.catalog.get("ipo").gate("ready_to_apply"))
    workflow.submit_project(wf, owner, pid)

    view = workflow.get_project(wf, pid)
    fields = view.project["fields"]
    assert (view.project["stage"], view.project["status"]) == ("partner_matching", "in_review")
    assert fields["need"] == "Et konkret behov"
    # ipo v2: an approved, confirmed research organisation and a public body (the owner's own)
    research, public = sorted(view.partners, key=lambda p: p["type"] != "research")
    assert (research["type"], research["status"], research["approved_research"]) == (
        "research",
        "confirmed",
        True,
    )
    assert public["type"] == "public"


def test_the_demo_has_the_ipo_calls_and_a_regional_fund_call(demo):
    wf, _ = demo
    calls = workflow.list_calls(wf, per_page=100).items
    by_title = {c["title"]["nb"]: c for c in calls}
    assert len(calls) == 3
    ipo = by_title["Innovasjonsprosjekt i offentlig sektor 2025"]
    assert ipo["opens_on"].isoformat() == "2025-08-13"
    assert ipo["deadline"].isoformat() == "2025-09-24T13:00:00+02:00"
    assert (ipo["earliest_start"].isoformat(), ipo["latest_start"].isoformat()) == (
        "2026-02-01",
        "2026-05-01",
    )
    assert ipo["latest_end"].isoformat() == "2029-04-30"
    assert ipo["max_support_rate"] == {"public": 0.5, "research": 0.5}
    assert ipo["required_partners"] == {"research": 1, "public": 1}
    assert (ipo["min_amount"], ipo["max_amount"]) == (3_000_000, 16_000_000)
    later = by_title["Innovasjonsprosjekt i offentlig sektor 2026"]
    assert later["deadline"].isoformat() == "2026-09-23T13:00:00+02:00"
    assert later["latest_end"].isoformat() == "2030-04-30"
    regional = by_title["Kvalifiseringsprosjekt for offentlig sektor"]
    assert regional["funder"] == "Regionalt forskningsfond Trøndelag"
    assert regional["max_support_rate"] == {"public": 0.5}
    assert regional["max_amount"] < ipo["min_amount"]


def _project(wf: Workflow, title: str) -> dict:
    return next(p for p in all_projects(wf) if p["title"] == title)


def _apps(wf: Workflow, pid: int) -> list[dict]:
    return workflow.list_applications(wf, pid).items


def test_ipo_projects_have_real_applications_and_reports(demo):
    wf, _ = demo
    ipo_2025, ipo_2026 = (f"Innovasjonsprosjekt i offentlig sektor {year}" for year in (2025, 2026))
    fravaer = _project(wf, "Tidlig oppdagelse og oppfølging av skolefravær")
    again, rejected = _apps(wf, fravaer["id"])
    assert (rejected["status"], rejected["call"]["title"]["nb"]) == ("rejected", ipo_2025)
    assert "brukermedvirkning" in rejected["feedback"]
    # the re-application went to the next year's call, and awaits its answer
    assert (again["status"], again["call"]["title"]["nb"]) == ("submitted", ipo_2026)
    assert again["previous_id"] == rejected["id"]

    hjemme = _project(wf, "Digital hjemmeoppfølging av kronisk syke")
    (granted,) = _apps(wf, hjemme["id"])
    assert granted["status"] == "granted"
    assert granted["granted_amount"] == granted["applied_amount"]
    reports = workflow.project_reports(wf, hjemme["id"]).items
    assert sorted((r["kind"], r["status"]) for r in reports) == [
        ("final", "due"),
        ("progress", "approved"),
        ("progress", "delivered"),
        ("progress", "due"),
    ]
    (last_gate,) = workflow.get_project(wf, hjemme["id"]).next_gates
    assert last_gate["gate"] == "execution_complete"

    done = _project(wf, "Trygg overgang fra sykehus til hjem for eldre")
    assert done["status"] == "completed"
    finals = [r for r in workflow.project_reports(wf, done["id"]).items if r["kind"] == "final"]
    assert [r["status"] for r in finals] == ["approved"]


def test_the_demo_gives_later_stage_projects_benefit_plans_with_measurements(demo):
    # benefit realisation (issue 13)
    demo_wf = demo[0]
    found = workflow.portfolio_benefits(demo_wf)
    # every project past a gate that asks for a plan has one; four have long series
    assert len(found.by_project) > 4
    assert (
        sum(g.planned_nok for g in found.by_area) > sum(g.realised_nok for g in found.by_area) > 0
    )
    flagged = workflow.flagged_project_list(demo_wf)
    assert len(flagged) >= 1
    series = [
        any(len(b["measurements"]) >= 5 for b in workflow.project_benefits(demo_wf, pid).items)
        for pid in found.by_project
    ]
    assert series.count(True) >= 4


def _count(wf: Workflow, table, *where) -> int:
    with wf.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def test_every_module_has_demo_content(demo):
    wf, _ = demo
    t = tables
    counts = {
        "calls": _count(wf, t.calls),
        "applications": _count(wf, t.applications),
        "reports": _count(wf, t.reports),
        "benefits": _count(wf, t.benefits),
        "measurements": _count(wf, t.measurements),
        "lessons": _count(wf, t.lessons),
        "comments": _count(wf, t.comments),
        "answered questions": _count(wf, t.questions, t.questions.c.answered_at.is_not(None)),
        "open follow-ups": _count(wf, t.follow_ups, t.follow_ups.c.closed_at.is_(None)),
        "closed follow-ups": _count(wf, t.follow_ups, t.follow_ups.c.closed_at.is_not(None)),
        "project roles": _count(wf, t.project_roles),
        "attachments": _count(wf, t.attachments),
        "published": _count(wf, t.projects, t.projects.c.published.is_(True)),
    }
    assert all(n > 0 for n in counts.values()), counts
    with wf.db.read() as conn:
        bodies = list(conn.execute(select(t.comments.c.body)).scalars())
    assert any("@per.hansen@ntnu.example" in b for b in bodies)


def test_every_killed_and_completed_project_has_a_lesson(demo):
    wf, _ = demo
    ended = [p for p in all_projects(wf) if p["status"] in ("killed", "completed")]

    assert ended
    for project in ended:
        lesson = workflow.get_lesson(wf, project["id"])["lesson"]
        assert lesson is not None, project["title"]
        assert lesson["worked"], project["title"]
        assert lesson["advice"], project["title"]


def test_one_application_is_rejected_with_feedback_and_applied_for_again(demo):
    wf, _ = demo
    t = tables
    rejected = _count(wf, t.applications, t.applications.c.status == "rejected")
    again = _count(wf, t.applications, t.applications.c.previous_id.is_not(None))

    assert (rejected, again) == (1, 1)


def test_a_benefit_series_has_an_explained_deviation(demo):
    wf, _ = demo
    t = tables
    with wf.db.read() as conn:
        comments = list(conn.execute(select(t.measurements.c.comment)).scalars())

    assert sum(c.startswith("Avvik:") for c in comments) == 1


def test_attachments_are_pdfs_the_sniffer_accepts(demo, store):
    wf, _ = demo
    with wf.db.read() as conn:
        ids = list(conn.execute(select(tables.attachments.c.project_id).distinct()).scalars())

    found = [a for pid in ids for a in list_attachments(wf, pid)]
    assert found
    for attachment in found:
        assert attachment["content_type"] == "application/pdf"
        with store.open(attachment["sha256"]) as f:
            head = f.read(4096)
        assert head.startswith(b"%PDF-1.4")
        assert sniff(head, store, attachment["sha256"]) == "application/pdf"


def test_the_generated_pdf_is_well_formed():
    pdf = minimal_pdf("Prosjektbeskrivelse: Tåke (og sol)", ("Linje æøå",))
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])

    assert pdf[start:].startswith(b"xref\n0 6\n")
    assert pdf.endswith(b"%%EOF\n")
    assert b"(Prosjektbeskrivelse: T\xe5ke \\(og sol\\))" in pdf


def test_older_projects_run_on_the_older_version_and_newer_on_the_newest(demo):
    wf, _ = demo
    newest = wf.catalog.get("ipo").version
    ipo = [p for p in all_projects(wf) if p["definition_key"] == "ipo"]
    with wf.db.read() as conn:
        versions = dict(
            conn.execute(
                select(tables.projects.c.id, tables.projects.c.definition_version).where(
                    tables.projects.c.definition_key == "ipo"
                )
            ).all()
        )
    age = {p["id"]: (wf.clock() - p["created_at"]).days for p in ipo}

    assert newest > 1
    assert {versions[i] for i in age if age[i] > OLD_VERSION_DAYS + 1} == {1}
    assert {versions[i] for i in age if age[i] < OLD_VERSION_DAYS - 1} == {newest}


def test_published_demo_projects_are_listed_at_open_json(demo):
    wf, _ = demo
    client = create_app({"TESTING": True}, settings=workflow.Settings(), wf=wf).test_client()

    listed = json.loads(client.get("/open.json?per_page=100").get_data(as_text=True))
    titles = {i["title"] for i in listed["items"]}
    assert "Digital hjemmeoppfølging av kronisk syke" in titles
    assert "Trygg overgang fra sykehus til hjem for eldre" in titles
    assert len(titles) == _count(wf, tables.projects, tables.projects.c.published.is_(True))
    assert "@" not in json.dumps(listed)


def test_every_demo_text_is_in_bokmaal(demo):
    wf, _ = demo
    english = ("Safe routes", "school along", "Master's", "Supervision", "Well prepared")
    texts = [p["title"] + " " + (p.get("summary") or "") for p in all_projects(wf)]
    with wf.db.read() as conn:
        texts += list(conn.execute(select(tables.votes.c.comment)).scalars())
    assert not [t for t in texts for word in english if word in (t or "")]


def test_registering_the_older_versions_again_changes_nothing(demo, tmp_path):
    wf, _ = demo

    again = workflow.register_versions(wf, SHIPPED / "versions")
    assert again
    assert {r.outcome for r in again} == {"unchanged"}
    assert workflow.register_versions(wf, tmp_path / "no-such-folder") == []
