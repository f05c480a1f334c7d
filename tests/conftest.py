"""Shared fixtures: a workflow on SQLite and on PostgreSQL, users and organisations.

Integration tests take ``wf``, which runs each test on both databases. Tables are created
once per session by the real migrations and emptied before each test. Each run creates its
own PostgreSQL database, ``samspill_test_<pid>``, on the server of
``SAMSPILL_TEST_POSTGRES_URL`` (which only serves to connect) and drops it at the end, so
runs side by side never clobber each other. In CI (``CI=true``) an unreachable PostgreSQL
fails the run; elsewhere those tests skip loudly. Every test's workflow starts its clock at
:data:`EPOCH`, so no test depends on today's date.
"""

from __future__ import annotations

import functools
import itertools
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

import workflow
from workflow import Actor, Database, Workflow
from workflow.store.migrate import upgrade
from workflow.store.tables import Base

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PG_URL = os.environ.get("SAMSPILL_TEST_POSTGRES_URL", "postgresql+psycopg:///test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_serial = itertools.count(1)
#: When every test's workflow starts: before all the fixed dates the tests use (2027).
EPOCH = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def pinned_clock(start: datetime = EPOCH) -> Callable[[], datetime]:
    """A clock that reads ``start`` now and runs on in real time from there."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


@pytest.fixture(autouse=True, scope="session")
def _own_uploads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Attachments of tests (and of the commands they start) go to a folder of the run:
    the daily sweep deletes files the test's database does not know, and must never see a
    developer's ``instance/uploads``."""
    saved = os.environ.get("SAMSPILL_UPLOADS")
    os.environ["SAMSPILL_UPLOADS"] = str(tmp_path_factory.mktemp("uploads"))
    yield
    if saved is None:
        del os.environ["SAMSPILL_UPLOADS"]
    else:
        os.environ["SAMSPILL_UPLOADS"] = saved


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Hash passwords with few iterations: the tests create many users."""
    from workflow.services import accounts

    saved, accounts.PASSWORD_METHOD = accounts.PASSWORD_METHOD, "pbkdf2:sha256:1000"
    yield
    accounts.PASSWORD_METHOD = saved


def _on_server(statement: str) -> None:
    """Run ``statement`` outside a transaction on the server of ``PG_URL``."""
    engine = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def _create_run_database() -> URL:
    """Create this run's own database beside ``PG_URL``'s; fail in CI, else skip, if not."""
    name = f"samspill_test_{os.getpid()}"
    try:
        _on_server(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # a dead run's, same pid
        _on_server(f"CREATE DATABASE {name}")
    except DBAPIError as exc:
        message = f"PostgreSQL at {PG_URL} is unreachable or refuses CREATE DATABASE: {exc.orig}"
        if IN_CI:
            pytest.fail(message + " (CI must test PostgreSQL)", pytrace=False)
        pytest.skip("SKIPPING POSTGRESQL TESTS: " + message)
    return make_url(PG_URL).set(database=name)


@pytest.fixture(scope="session")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A migrated SQLite database file for the session."""
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def postgres_db() -> Iterator[Database]:
    """This run's own migrated PostgreSQL database, dropped at the end of the session."""
    url = _create_run_database()
    db = Database.from_url(url.render_as_string(hide_password=False))
    try:
        upgrade(db.engine)
        yield db
    finally:
        db.dispose()
        _on_server(f"DROP DATABASE IF EXISTS {url.database} WITH (FORCE)")


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
    wf = Workflow(db, base_url="http://samspill.test", clock=pinned_clock())
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
