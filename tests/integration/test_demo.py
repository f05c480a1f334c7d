"""The demo data of ``samspill init --demo``: built through the service layer, covering
every stage and status, with intact audit chains, and loaded only once."""

from __future__ import annotations

import pytest

import workflow
from tests.conftest import make_workflow
from workflow import ProjectFilter, Workflow
from workflow.demo.data import DEMO_PASSWORD, USERS
from workflow.demo.seed import load_demo, satisfy

SHIPPED_KEYS = ("innovation_partnership", "innovative_procurement", "ipo", "living_lab", "mdi")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest) -> tuple[Workflow, list[str]]:
    """A workflow with the demo loaded once per database for the whole module."""
    db = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "postgres_db")
    wf = make_workflow(db)
    return wf, load_demo(wf)


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
    draft, rejected = _apps(wf, fravaer["id"])
    assert (rejected["status"], rejected["call"]["title"]["nb"]) == ("rejected", ipo_2025)
    assert "brukermedvirkning" in rejected["feedback"]
    assert (draft["status"], draft["call"]["title"]["nb"]) == ("draft", ipo_2026)
    assert draft["previous_id"] == rejected["id"]

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
        all(len(b["measurements"]) >= 5 for b in workflow.project_benefits(demo_wf, pid).items)
        for pid in found.by_project
    ]
    assert series.count(True) >= 4
