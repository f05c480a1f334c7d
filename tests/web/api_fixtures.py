"""Helpers for the JSON API tests: a client that acts with a user's bearer token.

The ``api`` fixture (in ``tests/web/conftest.py``) builds an :class:`Api`. Like all web
tests they run on SQLite, unless the module imports :func:`both_databases` as ``db``.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import workflow
from tests.conftest import GO
from workflow import Actor, Database, Workflow

__all__ = ["GO", "Api", "both_databases", "project_url"]


@pytest.fixture(name="db", params=["sqlite", "postgresql"])
def both_databases(request: pytest.FixtureRequest) -> Database:
    """Import into a module to run its tests on PostgreSQL too (web tests use SQLite)."""
    name = "sqlite_db" if request.param == "sqlite" else "postgres_db"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


class Api:
    """A test client that sends JSON with a user's bearer token: ``api.as_(owner).get(url)``."""

    def __init__(self, client: FlaskClient, wf: Workflow, token: str | None = None) -> None:
        self.client = client
        self.wf = wf
        self.token = token

    def as_(self, actor: Actor | None) -> Api:
        """The same client acting as ``actor`` (``None``: no token at all)."""
        token = None if actor is None else workflow.create_token(self.wf, actor.email)
        return Api(self.client, self.wf, token)

    def with_token(self, token: str) -> Api:
        """The same client sending ``token`` as it is."""
        return Api(self.client, self.wf, token)

    def request(self, method: str, url: str, **kwargs: Any) -> TestResponse:
        """Send a request with the token, if any."""
        headers = dict(kwargs.pop("headers", {}))
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> TestResponse:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> TestResponse:
        return self.request("PATCH", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> TestResponse:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> TestResponse:
        return self.request("DELETE", url, **kwargs)


def project_url(project_id: int, rest: str = "") -> str:
    """The API address of a project, or of something under it."""
    return f"/api/v1/projects/{project_id}{rest}"
