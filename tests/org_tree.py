"""Fixtures for conflict of interest (SPEC §2c): NTNU → an NTNU faculty → NTNU ISM.

Import the fixtures a module uses as their ``*_fixture`` functions (``from tests.org_tree
import orgs_fixture``; the fixture is ``orgs``); they build on ``wf`` of ``tests/conftest.py``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from sqlalchemy import insert, update

import workflow
from workflow import Actor, Workflow
from workflow.store.tables import Organisation, ProjectPartner, table

organisations = table(Organisation)
partners = table(ProjectPartner)
_serial = itertools.count(1)


@dataclass(frozen=True)
class Orgs:
    """The ids of the organisation tree."""

    ntnu: int
    faculty: int
    ism: int


@pytest.fixture(name="orgs")
def orgs_fixture(wf: Workflow) -> Orgs:
    """NTNU (the university) → NTNU Fakultet for økonomi → NTNU ISM (a department)."""

    def add(name: str, key: str, parent: int | None) -> int:
        org = workflow.add_organisation(wf, None, name=name, type="research", key=key)
        if parent is not None:
            with wf.db.write() as conn:
                conn.execute(
                    update(organisations).where(organisations.c.id == org).values(parent_id=parent)
                )
        return org

    ntnu = add("NTNU", "ntnu", None)
    faculty = add("NTNU Fakultet for økonomi", "ntnu-okonomi", ntnu)
    return Orgs(ntnu, faculty, add("NTNU ISM", "ntnu-ism", faculty))


def member(wf: Workflow, role: str, organisation: str, *, group: str | None = None) -> Actor:
    """A user of the organisation with key ``organisation``."""
    email = f"member{next(_serial)}@{organisation}.no"
    workflow.add_user(
        wf,
        email=email,
        name=f"{organisation.upper()} {role}",
        role=role,
        password="password123",
        group=group,
        organisation_key=organisation,
    )
    return workflow.get_actor(wf, email=email)


@pytest.fixture(name="ism_gatekeeper")
def ism_gatekeeper_fixture(wf: Workflow, orgs: Orgs) -> Actor:
    """An NTNU-group gatekeeper from the department NTNU ISM."""
    return member(wf, "gatekeeper", "ntnu-ism", group="ntnu")


@pytest.fixture(name="ntnu_gatekeeper")
def ntnu_gatekeeper_fixture(wf: Workflow, orgs: Orgs) -> Actor:
    """An NTNU-group gatekeeper from the university as a whole (organisation NTNU)."""
    return member(wf, "gatekeeper", "ntnu", group="ntnu")


def add_partner_behind_the_owners_back(
    wf: Workflow, project_id: int, organisation_id: int, status: str = "invited"
) -> None:
    """Make ``organisation_id`` a partner of a project whatever its status (a data fix, an
    import): the engine's ``add_partner`` refuses while a project is in review."""
    with wf.db.write() as conn:
        conn.execute(
            insert(partners).values(
                project_id=project_id, organisation_id=organisation_id, status=status
            )
        )
