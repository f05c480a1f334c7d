"""Shared fixtures: a workflow on SQLite and on PostgreSQL, users and organisations.

Integration tests take ``wf``, which runs each test on both databases. Tables are created
once per session by the real migrations and emptied before each test. In CI
(``CI=true``) an unreachable PostgreSQL fails the run; elsewhere those tests skip loudly.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

import workflow
from workflow import Actor, Database, Workflow
from workflow.store.migrate import upgrade
from workflow.store.tables import Base

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PG_URL = os.environ.get("SAMSPILL_TEST_POSTGRES_URL", "postgresql+psycopg:///test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_serial = itertools.count(1)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Hash passwords with few iterations: the tests create many users."""
    from workflow.services import accounts

    saved, accounts.PASSWORD_METHOD = accounts.PASSWORD_METHOD, "pbkdf2:sha256:1000"
    yield
    accounts.PASSWORD_METHOD = saved


def _postgres_or_skip() -> Database:
    db = Database.from_url(PG_URL)
    try:
        with db.engine.connect() as conn:
            conn.execute(text("select 1"))
    except OperationalError as exc:
        message = f"PostgreSQL at {PG_URL} is unreachable: {exc.orig}"
        if IN_CI:
            pytest.fail(message + " (CI must test PostgreSQL)", pytrace=False)
        pytest.skip("SKIPPING POSTGRESQL TESTS: " + message)
    return db


def _fresh_schema(db: Database) -> None:
    with db.engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(db.engine)


@pytest.fixture(scope="session")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A migrated SQLite database file for the session."""
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    _fresh_schema(db)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def postgres_db() -> Iterator[Database]:
    """The migrated PostgreSQL test database for the session."""
    db = _postgres_or_skip()
    _fresh_schema(db)
    yield db
    db.dispose()


def empty_tables(db: Database) -> None:
    """Delete every row of every table (identity counters restart on PostgreSQL)."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.is_sqlite:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
        else:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


SHIPPED = ROOT / "definitions"


@functools.cache
def _loaded(paths: tuple[Path, ...]) -> list[tuple[workflow.Definition, str]]:
    return workflow.load_definitions(list(paths))


def make_workflow(db: Database, *definitions: Path) -> Workflow:
    """A workflow on ``db`` (emptied) with definitions registered (default: lab + shipped)."""
    empty_tables(db)
    wf = Workflow(db, base_url="http://samspill.test")
    loaded = _loaded(tuple(definitions or (DATA, SHIPPED)))
    with db.write() as conn:
        workflow.store.catalog.register_definitions(conn, loaded, now=wf.clock())
    wf.reload_definitions()
    return wf


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Database:
    """The database of the test, once SQLite and once PostgreSQL."""
    name = "sqlite_db" if request.param == "sqlite" else "postgres_db"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def wf(db: Database) -> Workflow:
    """A workflow with the test definition ``lab`` registered, on an empty database."""
    return make_workflow(db)


@pytest.fixture
def create_user(wf: Workflow):
    """Make users: ``create_user("gatekeeper", group="ntnu")`` returns an Actor."""

    def make(
        role: str = "owner",
        *,
        group: str | None = None,
        language: str = "nb",
        name: str | None = None,
    ) -> Actor:
        n = next(_serial)
        email = f"user{n}@example.no"
        workflow.add_user(
            wf,
            email=email,
            name=name or f"User {n}",
            role=role,
            password="password123",
            group=group,
            language=language,
        )
        return workflow.get_actor(wf, email=email)

    return make


@pytest.fixture
def owner(create_user) -> Actor:
    """A project owner."""
    return create_user("owner", name="Olivia Owner")


@pytest.fixture
def other_owner(create_user) -> Actor:
    """A project owner who does not own the test's project."""
    return create_user("owner", name="Ola Annen")


@pytest.fixture
def coordinator(create_user) -> Actor:
    """A coordinator of the partnership: sees the portfolio."""
    return create_user("coordinator", name="Cora Koordinator")


@pytest.fixture
def admin(create_user) -> Actor:
    """An administrator."""
    return create_user("admin", name="Ada Admin")


@pytest.fixture
def kommune(create_user) -> Actor:
    """A gatekeeper of the municipality's board group."""
    return create_user("gatekeeper", group="kommune", name="Kari Kommune")


@pytest.fixture
def ntnu(create_user) -> Actor:
    """A gatekeeper of the university's board group."""
    return create_user("gatekeeper", group="ntnu", name="Nils NTNU")


@pytest.fixture
def research_org(wf: Workflow) -> int:
    """A research organisation's id."""
    return workflow.add_organisation(
        wf, None, name="NTNU Institutt for datateknologi", type="research"
    )


@pytest.fixture
def ready_project(wf: Workflow, owner: Actor, research_org: int) -> int:
    """A lab project in 'idea' that meets every requirement of its gate."""
    pid = workflow.create_project(
        wf,
        owner,
        definition="lab",
        title="Digital hjemmeoppfølging",
        fields={"need": "Færre innleggelser", "budget": 1000, "own_share": 600},
    )
    workflow.set_checklist_item(wf, owner, pid, "need_described", True)
    workflow.add_partner(wf, owner, pid, organisation_id=research_org, role="FoU-partner")
    return pid


@pytest.fixture
def submitted_project(wf: Workflow, owner: Actor, ready_project: int) -> int:
    """A lab project submitted to its idea gate."""
    workflow.submit_project(wf, owner, ready_project)
    return ready_project


GO = {"relevance": 4, "feasibility": 3}
