"""API tokens expire: checked on each request, chosen with ``token create --expires-in DAYS``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

import workflow
from tests.conftest import SHIPPED
from webapp.cli import main
from workflow.store.tables import ApiToken, table

tokens = table(ApiToken)


def later(wf: workflow.Workflow, delta: timedelta) -> None:
    """Move the workflow's clock (the app's too: it is the same workflow) ``delta`` on."""
    now = wf.clock()
    wf.clock = lambda: now + delta


def test_a_token_stops_working_when_it_expires(api, wf, owner):
    token = workflow.create_token(wf, owner.email, days=7)

    later(wf, timedelta(days=7) - timedelta(seconds=1))
    assert api.with_token(token).get("/api/v1/projects").status_code == 200
    later(wf, timedelta(seconds=1))
    response = api.with_token(token).get("/api/v1/projects")

    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_a_token_lasts_the_documented_default(api, wf, owner):
    token = workflow.create_token(wf, owner.email)

    later(wf, timedelta(days=workflow.TOKEN_DAYS) - timedelta(seconds=1))
    assert api.with_token(token).get("/api/v1/projects").status_code == 200
    later(wf, timedelta(days=workflow.TOKEN_DAYS))
    assert api.with_token(token).get("/api/v1/projects").status_code == 401


@pytest.fixture
def samspill(wf):
    """Run a samspill command on the test's database (SQLite or PostgreSQL)."""
    env = {
        "SAMSPILL_DATABASE_URL": wf.db.engine.url.render_as_string(hide_password=False),
        "SAMSPILL_DEFINITIONS": str(SHIPPED),
    }

    def run(*args: str):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return run


def test_token_create_expires_in_sets_the_expiry(samspill, wf, owner):
    result = samspill("token", "create", owner.email, "--expires-in", "3")

    assert result.exit_code == 0, result.output
    with wf.db.read() as conn:
        row = conn.execute(select(tokens).where(tokens.c.user_id == owner.id)).mappings().one()
    assert row["expires_at"] - row["created_at"] == timedelta(days=3)
    assert workflow.actor_for_token(wf, result.output.strip()) == owner


@pytest.mark.parametrize("days", ["0", "-1", "3651", "99999999999999999999999"])
def test_token_create_refuses_an_expiry_out_of_range(samspill, wf, owner, days):
    result = samspill("token", "create", owner.email, "--expires-in", days)

    assert result.exit_code == 1
    assert "expires_in: must be a whole number of days, 1 to 3650" in result.output
    with wf.db.read() as conn:
        assert conn.execute(select(tokens)).first() is None
