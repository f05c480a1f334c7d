"""Web fixtures: the app on the test's workflow (SQLite only), a client, logging in.

Pages do not depend on the database dialect (the engine's tests cover both), so the web
tests run on SQLite alone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

import workflow
from tests.web.api_fixtures import Api
from tests.webtools import Browser, compile_catalogues
from webapp import create_app
from workflow import Actor, Database, Workflow


@pytest.fixture(autouse=True, scope="session")
def _catalogues() -> None:
    """Compile the message catalogues once, so `pytest` alone shows bokmål."""
    compile_catalogues()


@pytest.fixture
def db(request: pytest.FixtureRequest) -> Database:
    """SQLite only for the web tests."""
    return request.getfixturevalue("sqlite_db")  # type: ignore[no-any-return]


@pytest.fixture
def app(wf: Workflow):
    """The Flask app on the test's workflow, CSRF protection on."""
    return create_app({"TESTING": True}, settings=workflow.Settings(), wf=wf)


@pytest.fixture
def client(app) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def browser(client) -> Browser:
    """An anonymous :class:`Browser`."""
    return Browser(client)


@pytest.fixture
def login(app) -> Callable[[Actor], Browser]:
    """``login(actor)`` returns a :class:`Browser` logged in as that user."""

    def log_in(user: Actor) -> Browser:
        b = Browser(app.test_client())
        response = b.login(user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return b

    return log_in


@pytest.fixture
def api(app, wf: Workflow) -> Api:
    """An API client without a token; ``api.as_(actor)`` adds one."""
    return Api(app.test_client(), wf)


@pytest.fixture
def stranger(create_user) -> Actor:
    """An owner of other projects."""
    return create_user("owner", name="Sam Stranger")


@pytest.fixture
def new_project(wf: Workflow, owner: Actor) -> int:
    """A fresh lab project of ``owner`` in its first stage, nothing filled in."""
    return workflow.create_project(wf, owner, definition="lab", title="Ny lab-idé")


@pytest.fixture
def held_project(wf: Workflow, submitted_project: int, kommune: Actor) -> int:
    """A lab project the kommune gatekeeper put on hold at its idea gate."""
    workflow.decide_gate(wf, kommune, submitted_project, decision="hold", comment="Vent")
    return submitted_project
