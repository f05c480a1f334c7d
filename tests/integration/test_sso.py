"""Just-in-time provisioning of single sign-on users, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect

import workflow
from tests.conftest import empty_tables
from workflow import Duplicate, InvalidInput, NotFound, Workflow, parse_role_map
from workflow.store.migrate import alembic_config, upgrade

IDP = "https://idp.example"
RULES = parse_role_map("groups:styret-ntnu=gatekeeper/ntnu;groups:fou=coordinator")


def claims(sub: str = "abc-1", **more):
    return {"sub": sub, "email": "Per@NTNU.no", "name": "Per Persen", **more}


def test_a_first_login_creates_a_user_and_the_next_finds_them_by_subject(wf: Workflow):
    first = workflow.sign_in_sso(wf, issuer=IDP, claims=claims(groups=["fou"]), rules=RULES)
    assert first.actor is not None
    assert (first.actor.email, first.actor.role) == ("per@ntnu.no", "coordinator")

    again = workflow.sign_in_sso(
        wf,
        issuer=IDP,
        claims=claims(email="per.ny@ntnu.no", name="Per P. Persen", groups=["styret-ntnu"]),
        rules=RULES,
    )
    assert again.actor is not None
    assert again.actor.id == first.actor.id
    assert (again.actor.role, again.actor.group, again.actor.name) == (
        "gatekeeper",
        "ntnu",
        "Per P. Persen",
    )
    # a login no rule matches keeps the role an admin (or an earlier rule) gave
    kept = workflow.sign_in_sso(wf, issuer=IDP, claims=claims(), rules=RULES)
    assert kept.actor is not None
    assert kept.actor.role == "gatekeeper"
    # the same subject at another provider is another person
    other = workflow.sign_in_sso(
        wf, issuer="https://other.example", claims=claims(email="p2@x.no"), rules=RULES
    )
    assert other.actor is not None
    assert other.actor.id != first.actor.id


def test_a_local_account_is_linked_only_by_a_verified_email(wf: Workflow, create_user):
    local = create_user("owner")

    with pytest.raises(Duplicate):
        workflow.sign_in_sso(wf, issuer=IDP, claims=claims(email=local.email))
    linked = workflow.sign_in_sso(
        wf, issuer=IDP, claims=claims(email=local.email, email_verified=True)
    )

    assert linked.actor is not None
    assert linked.actor.id == local.id


def test_unusable_claims_and_deactivated_users_are_refused(wf: Workflow):
    with pytest.raises(InvalidInput, match="email"):
        workflow.sign_in_sso(wf, issuer=IDP, claims={"sub": "x", "email": "not-an-address"})
    with pytest.raises(InvalidInput, match="sub"):
        workflow.sign_in_sso(wf, issuer=IDP, claims={"sub": "", "email": "a@b.no"})
    first = workflow.sign_in_sso(wf, issuer=IDP, claims=claims())
    assert first.actor is not None
    with wf.db.write() as conn:
        from workflow.store.tables import users

        conn.execute(users.update().where(users.c.id == first.actor.id).values(is_active=False))
    with pytest.raises(NotFound):
        workflow.sign_in_sso(wf, issuer=IDP, claims=claims())


def test_the_sso_migration_adds_the_subject_columns_and_goes_back(db):
    empty_tables(db)
    config = alembic_config(db.engine)
    try:
        with db.engine.connect() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
            conn.commit()
        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert "oidc_subject" not in columns
    finally:
        upgrade(db.engine)
    columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
    assert {"oidc_issuer", "oidc_subject"} <= columns
