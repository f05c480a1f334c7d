"""Partner suggestions: ranking, reasons, who is never suggested, and the index refresh."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

import workflow
from workflow import InvalidInput, NotFound
from workflow.matching import index as suggestion_index
from workflow.matching.text import haystack, keyword_stems, matches
from workflow.store.tables import Organisation, Project, table

organisations = table(Organisation)
projects = table(Project)


@pytest.fixture(autouse=True)
def _refresh_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check the index's revision on every request (the default waits 30 s)."""
    monkeypatch.setattr(suggestion_index, "REFRESH_SECONDS", 0.0)
    monkeypatch.setattr(suggestion_index, "REBUILD_IN_BACKGROUND", False)


def org(wf, name: str, type: str = "research", **values: Any) -> int:
    """Register an organisation, then give it keywords, areas, approval and so on."""
    org_id = workflow.add_organisation(wf, None, name=name, type=type)
    if values:
        with wf.db.write() as conn:
            conn.execute(update(organisations).where(organisations.c.id == org_id).values(**values))
    return org_id


def ids(found) -> list[int]:
    return [s.organisation["id"] for s in found]


@pytest.fixture
def registry(wf) -> dict[str, int]:
    """A small registry: welfare technology, procurement, schools, roads, a company."""
    return {
        "welfare": org(
            wf,
            "NTNU Institutt for helsevitenskap",
            keywords=["velferdsteknologi", "hjemmetjenester"],
            thematic_areas=["helse_velferd"],
            approved_research=True,
            description="Forskning på digitale helsetjenester for eldre.",
        ),
        "procurement": org(
            wf,
            "Innkjøpsforskning AS",
            "business",
            keywords=["anskaffelse", "innkjøp"],
            thematic_areas=["innovasjon"],
            description="Rådgivning om offentlige anskaffelser.",
        ),
        "schools": org(
            wf,
            "NTNU Institutt for lærerutdanning",
            keywords=["skole", "lærerutdanning"],
            thematic_areas=["oppvekst_utdanning"],
            approved_research=True,
        ),
        "roads": org(
            wf,
            "Veglaboratoriet",
            keywords=["asfalt", "vegvedlikehold"],
            thematic_areas=["byutvikling"],
        ),
        "company": org(
            wf,
            "Nidaros Helseteknologi AS",
            "business",
            keywords=["trygghetsalarm"],
            thematic_areas=["helse_velferd"],
        ),
    }


def welfare_project(wf, owner) -> int:
    return workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Velferdsteknologiske løsninger i hjemmetjenesten",
        summary="Vi prøver ut sensorer og trygghetsalarmer hos eldre som bor hjemme.",
        thematic_area="helse_velferd",
    )


def test_keywords_match_through_inflections_and_compounds():
    text = haystack(["Innovative anskaffelser av velferdsteknologiske løsninger i skolen"])

    assert matches(keyword_stems("anskaffelse"), text)
    assert matches(keyword_stems("velferdsteknologi"), text)
    assert matches(keyword_stems("skole"), text)
    assert matches(keyword_stems("Innovative anskaffelser"), text)
    assert not matches(keyword_stems("asfalt"), text)
    assert not matches(keyword_stems("skog"), text)
    assert not matches(keyword_stems(""), text)


def test_the_fitting_organisation_ranks_first_with_its_reasons(wf, owner, registry):
    pid = welfare_project(wf, owner)

    found = workflow.suggest_partners(wf, pid)

    assert found[0].organisation["id"] == registry["welfare"]
    top = found[0]
    assert 0 < top.score <= 1
    assert top.organisation["approved_research"] is True
    assert top.organisation["thematic_areas"] == ["helse_velferd"]
    codes = dict(top.reasons)
    assert codes["shared_keywords"] == {"keywords": ["velferdsteknologi", "hjemmetjenester"]}
    assert codes["same_area"] == {"area": "helse_velferd"}
    assert codes["needed_by_gate"] == {"type": "research", "gate": "idea_review"}
    assert "approved_research" in codes
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert ids(found).index(registry["company"]) < ids(found).index(registry["roads"])
    company = found[ids(found).index(registry["company"])]
    assert dict(company.reasons)["shared_keywords"] == {"keywords": ["trygghetsalarm"]}
    assert top.reasons[0].text == (
        "its keywords appear in the project: velferdsteknologi, hjemmetjenester"
    )


def test_inflected_procurement_finds_the_procurement_organisation(wf, owner, registry):
    pid = workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Bedre anskaffelser",
        summary="Innkjøpene skal bli enklere.",
    )

    found = workflow.suggest_partners(wf, pid, type="business")

    assert found[0].organisation["id"] == registry["procurement"]
    assert dict(found[0].reasons)["shared_keywords"] == {"keywords": ["anskaffelse", "innkjøp"]}
    assert {s.organisation["type"] for s in found} == {"business"}


def test_past_completed_projects_in_the_area_count(wf, owner, registry):
    done = welfare_project(wf, owner)
    workflow.add_partner(wf, owner, done, organisation_id=registry["company"])
    with wf.db.write() as conn:
        conn.execute(update(projects).where(projects.c.id == done).values(status="completed"))
    pid = welfare_project(wf, owner)

    found = workflow.suggest_partners(wf, pid, type="business")

    company = found[ids(found).index(registry["company"])]
    assert dict(company.reasons)["past_projects_in_area"] == {"count": 1, "area": "helse_velferd"}


def test_current_partners_inactive_unconfirmed_and_merged_are_never_suggested(wf, owner, registry):
    pid = welfare_project(wf, owner)
    workflow.add_partner(wf, owner, pid, organisation_id=registry["welfare"], role="FoU")
    inactive = org(wf, "Velferdsteknologi inaktiv", keywords=["velferdsteknologi"], active=False)
    pending = org(
        wf, "Velferdsteknologi foreslått", keywords=["velferdsteknologi"], confirmed=False
    )
    merged = org(
        wf,
        "Velferdsteknologi duplikat",
        keywords=["velferdsteknologi"],
        merged_into=registry["welfare"],
    )

    found = ids(workflow.suggest_partners(wf, pid, limit=50))

    assert found
    assert not {registry["welfare"], inactive, pending, merged} & set(found)
    # now a partner: the gate no longer needs a research partner
    assert all(
        r.code != "needed_by_gate"
        for s in workflow.suggest_partners(wf, pid, limit=50)
        for r in s.reasons
    )


def test_type_filter_and_limit(wf, owner, registry):
    pid = welfare_project(wf, owner)

    research = workflow.suggest_partners(wf, pid, type="research", limit=2)

    assert len(research) == 2
    assert {s.organisation["type"] for s in research} == {"research"}
    assert ids(workflow.suggest_partners(wf, pid, limit=1)) == [registry["welfare"]]
    assert workflow.suggest_partners(wf, pid, type="citizens") == []


@pytest.mark.parametrize(
    ("args", "field"),
    [({"type": "pirates"}, "type"), ({"limit": 0}, "limit"), ({"limit": 51}, "limit")],
)
def test_wrong_arguments_are_refused(wf, owner, registry, args, field):
    pid = welfare_project(wf, owner)

    with pytest.raises(InvalidInput) as refused:
        workflow.suggest_partners(wf, pid, **args)

    assert field in refused.value.fields


def test_an_unknown_project_is_not_found(wf):
    with pytest.raises(NotFound):
        workflow.suggest_partners(wf, 999)


def test_no_organisations_no_suggestions(wf, owner):
    assert workflow.suggest_partners(wf, welfare_project(wf, owner)) == []


def test_the_index_follows_the_registry(wf, owner, registry, monkeypatch):
    pid = welfare_project(wf, owner)
    assert ids(workflow.suggest_partners(wf, pid))[0] == registry["welfare"]
    monkeypatch.setattr(suggestion_index, "REFRESH_SECONDS", 3600.0)  # no refresh now

    # deactivated: gone at once, though the index still holds it
    with wf.db.write() as conn:
        conn.execute(
            update(organisations)
            .where(organisations.c.id == registry["welfare"])
            .values(active=False, updated_at=wf.clock())
        )
    assert registry["welfare"] not in ids(workflow.suggest_partners(wf, pid, limit=50))

    # a new organisation appears once the index is refreshed
    newcomer = org(
        wf,
        "SINTEF Helse",
        keywords=["velferdsteknologi", "hjemmetjenesten", "trygghetsalarm"],
        thematic_areas=["helse_velferd"],
        approved_research=True,
    )
    assert newcomer not in ids(workflow.suggest_partners(wf, pid, limit=50))
    monkeypatch.setattr(suggestion_index, "REFRESH_SECONDS", 0.0)
    assert ids(workflow.suggest_partners(wf, pid))[0] == newcomer

    # and its changed keywords count after a refresh
    with wf.db.write() as conn:
        conn.execute(
            update(organisations)
            .where(organisations.c.id == newcomer)
            .values(keywords=["asfalt"], thematic_areas=[], updated_at=wf.clock())
        )
    assert workflow.refresh_suggestions(wf) >= 0
    top = workflow.suggest_partners(wf, pid)[0]
    assert top.organisation["id"] != newcomer


def test_a_stale_index_answers_at_once_while_a_thread_rebuilds_it(wf, owner, registry, monkeypatch):
    pid = welfare_project(wf, owner)
    workflow.suggest_partners(wf, pid)  # the first index is built in the request
    monkeypatch.setattr(suggestion_index, "REBUILD_IN_BACKGROUND", True)
    newcomer = org(
        wf,
        "SINTEF Helse",
        keywords=["velferdsteknologi", "hjemmetjenesten", "trygghetsalarm"],
        thematic_areas=["helse_velferd"],
        approved_research=True,
    )

    meanwhile = ids(workflow.suggest_partners(wf, pid, limit=50))
    assert suggestion_index.rebuilding is not None
    suggestion_index.rebuilding.join(timeout=60)
    afterwards = ids(workflow.suggest_partners(wf, pid))

    assert newcomer not in meanwhile
    assert afterwards[0] == newcomer


def test_the_owners_own_organisation_and_those_above_it_are_never_suggested(
    wf, create_user, registry
):
    unit = registry["welfare"]
    university = org(wf, "NTNU", keywords=["velferdsteknologi"], thematic_areas=["helse_velferd"])
    with wf.db.write() as conn:
        conn.execute(
            update(organisations).where(organisations.c.id == unit).values(parent_id=university)
        )
        key = conn.execute(
            select(organisations.c.key).where(organisations.c.id == unit)
        ).scalar_one()
    workflow.add_user(
        wf, email="eier@ntnu.no", name="Eier", role="owner", password="password123",
        organisation_key=key,
    )  # fmt: skip
    owner = workflow.get_actor(wf, email="eier@ntnu.no")

    found = ids(workflow.suggest_partners(wf, welfare_project(wf, owner), limit=50))

    assert unit not in found
    assert university not in found
    assert found  # the others are still there


def test_the_organisations_above_a_partner_are_not_suggested(wf, owner, registry):
    university = org(wf, "NTNU", keywords=["velferdsteknologi"], thematic_areas=["helse_velferd"])
    with wf.db.write() as conn:
        conn.execute(
            update(organisations)
            .where(organisations.c.id == registry["welfare"])
            .values(parent_id=university)
        )
    pid = welfare_project(wf, owner)
    assert university in ids(workflow.suggest_partners(wf, pid, limit=50))

    workflow.add_partner(wf, owner, pid, organisation_id=registry["welfare"])

    assert university not in ids(workflow.suggest_partners(wf, pid, limit=50))
