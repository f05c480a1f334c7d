"""Single sign-on against a real OpenID provider (oidc-provider, on a loopback port)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

import workflow
from tests.oidc_kit import APP, Provider, run_provider
from webapp import create_app
from workflow import Settings, Workflow

ROLE_MAP = "groups:innovasjonsutvalg-ntnu=gatekeeper/ntnu;groups:fou-stab=coordinator"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """The local OpenID provider, started once per session."""
    yield from run_provider(tmp_path_factory)


def sso_app(wf: Workflow, provider: Provider, **more: str):
    config = {
        "base_url": APP,
        "oidc_issuer": provider.issuer,
        "oidc_client_id": "samspill",
        "oidc_client_secret": "samspill-test-secret",
        "oidc_role_map": ROLE_MAP,
        "oidc_name": "Testleverandør",
        **more,
    }
    return create_app({"TESTING": True}, settings=Settings(**config), wf=wf)  # type: ignore[arg-type]


@pytest.fixture
def app(wf: Workflow, oidc_provider: Provider):
    return sso_app(wf, oidc_provider)


def start(client) -> str:
    """Press "Logg inn med …"; the provider's authorize URL."""
    page = client.get("/login")
    assert "Testleverandør" in page.get_data(as_text=True)
    r = client.get("/login/sso")
    assert r.status_code == 302
    url = r.headers["location"]
    query = parse_qs(urlparse(url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"]
    assert query["state"]
    return url


def finish(client, callback: str):
    parts = urlparse(callback)
    return client.get(f"{parts.path}?{parts.query}")


def test_logging_in_provisions_an_owner_and_logging_out_ends_both_sessions(app, oidc_provider, wf):
    client = app.test_client()
    with client.session_transaction() as s:
        s["csrf_token"] = "from-before-login"
    r = finish(client, oidc_provider.log_in(start(client), "kari"))

    assert r.status_code == 302
    assert r.headers["location"].endswith("/projects/mine")
    with client.session_transaction() as s:
        assert s.get("csrf_token") != "from-before-login"
    page = client.get("/projects/mine")
    assert page.status_code == 200
    assert "Kari Testesen" in page.get_data(as_text=True)
    actor = workflow.get_actor(wf, email="kari@test.example")
    assert (actor.role, actor.group) == ("owner", None)

    cookie = client.get_cookie("session")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    r = client.post("/logout", data={"csrf_token": token.group(1) if token else ""})
    assert r.status_code == 302
    assert r.headers["location"].startswith(oidc_provider.issuer)  # RP-initiated logout
    assert "id_token_hint" in r.headers["location"]
    old = app.test_client()
    assert cookie is not None
    old.set_cookie("session", cookie.value)
    assert old.get("/projects/mine").status_code == 302  # the old cookie no longer works


def test_a_group_in_the_role_map_makes_a_gatekeeper_with_private_key_jwt(oidc_provider, wf):
    app = sso_app(
        wf,
        oidc_provider,
        oidc_client_id="samspill-jwt",
        oidc_client_secret="",
        oidc_private_key=str(oidc_provider.private_key),
    )
    client = app.test_client()
    r = finish(client, oidc_provider.log_in(start(client), "nils"))

    assert r.status_code == 302, r.get_data(as_text=True)
    actor = workflow.get_actor(wf, email="nils@test.example")
    assert (actor.role, actor.group) == ("gatekeeper", "ntnu")
    (key,) = client.get("/login/sso/jwks.json").get_json()["keys"]
    assert key["kty"] == "RSA"
    assert "d" not in key  # only the public half is published


def test_a_changed_state_is_refused(app, oidc_provider):
    client = app.test_client()
    callback = oidc_provider.log_in(start(client), "kari")

    r = finish(client, callback.replace("state=", "state=x"))

    assert r.status_code == 400
    assert client.get("/projects/mine").status_code == 302


def test_a_nonce_other_than_the_one_sent_is_refused(app, oidc_provider):
    client = app.test_client()
    callback = oidc_provider.log_in(start(client), "kari")
    with client.session_transaction() as s:
        (key,) = [k for k in s if k.startswith("_state_oidc_")]
        data = dict(s[key])
        data["data"] = dict(data["data"], nonce="another-nonce")
        s[key] = data

    r = finish(client, callback)

    assert r.status_code == 400
    assert client.get("/projects/mine").status_code == 302


def test_an_expired_id_token_is_refused(app, oidc_provider):
    client = app.test_client()
    callback = oidc_provider.log_in(start(client), "kari")
    later = time.time() + timedelta(hours=3).total_seconds()  # the ID token lasts an hour
    app.config["SAMSPILL_OIDC_NOW"] = lambda: later

    r = finish(client, callback)

    assert r.status_code == 400
    assert client.get("/projects/mine").status_code == 302


def test_local_login_off_hides_and_refuses_passwords(oidc_provider, wf, owner):
    app = sso_app(wf, oidc_provider, local_login="off")
    app.config["WTF_CSRF_ENABLED"] = False  # the page has no form to take a token from
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'type="password"' not in page
    assert "Testleverandør" in page

    r = client.post("/login", data={"email": owner.email, "password": "x"})

    assert r.status_code == 403
    token = workflow.create_token(wf, owner.email)
    api = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200  # API tokens still work
