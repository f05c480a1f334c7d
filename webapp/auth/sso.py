"""Single sign-on with OpenID Connect (Authlib): authorization code with PKCE (S256),
discovery from the issuer, state and nonce checked, the ID token's signature, ``iss``,
``aud`` and ``exp`` validated; the client authenticates with
a secret (``client_secret_basic``/``_post``) or a private key (``private_key_jwt``)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlparse

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oidc.core import CodeIDToken
from flask import Flask, Response, current_app, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_user
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from requests import RequestException

import workflow
from webapp.auth import bp
from webapp.auth.forms import LoginForm
from webapp.extensions import WebUser, current_workflow
from webapp.headers import CSP
from workflow import Settings, WorkflowError

#: the ID token is accepted this many seconds past its ``exp`` (clock skew)
LEEWAY = 60
#: the session key of the last ID token (the hint for logging out at the provider)
ID_TOKEN = "oidc_id_token"


def settings() -> Settings:
    """The app's settings."""
    return current_app.config["SAMSPILL_SETTINGS"]  # type: ignore[no-any-return]


def sso_enabled() -> bool:
    """Whether single sign-on is configured."""
    return "samspill_oauth" in current_app.extensions


def init_app(app: Flask, config: Settings) -> None:
    """Register the OpenID client when ``SAMSPILL_OIDC_ISSUER`` is set."""
    if not config.oidc_issuer:
        return
    issuer = config.oidc_issuer.rstrip("/")
    method = config.oidc_method
    client_kwargs: dict[str, Any] = {
        "scope": "openid email profile",
        "code_challenge_method": "S256",
        "token_endpoint_auth_method": method,
        "timeout": 10,
    }
    extra: dict[str, Any] = {}
    secret = config.oidc_client_secret
    if method == "private_key_jwt" and config.oidc_private_key:
        with open(config.oidc_private_key, encoding="utf-8") as f:
            pem = f.read()
        key = RSAKey.import_key(pem)
        secret = pem
        extra["client_auth_methods"] = [PrivateKeyJWT(headers={"kid": key.thumbprint()})]
        public = dict(key.as_dict(private=False), kid=key.thumbprint(), use="sig", alg="RS256")
        app.extensions["samspill_oidc_jwks"] = {"keys": [public]}
    oauth = OAuth(app)
    oauth.register(
        "oidc",
        client_id=config.oidc_client_id,
        client_secret=secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs=client_kwargs,
        **extra,
    )
    app.extensions["samspill_oauth"] = oauth
    # logging out POSTs a form whose answer redirects to the provider's end_session_endpoint:
    # the page's CSP must let a form go there (runs before headers.py's, which then keeps it)
    origin = "{0.scheme}://{0.netloc}".format(urlparse(issuer))
    policy = CSP.replace("form-action 'self'", f"form-action 'self' {origin}")

    def _form_action(response: Response) -> Response:
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", policy)
        return response

    app.after_request(_form_action)


def _client() -> Any:
    return current_app.extensions["samspill_oauth"].oidc


def _callback_url() -> str:
    return settings().base_url + url_for("auth.sso_callback")


def _refused(message: str) -> ResponseReturnValue:
    form = LoginForm()
    form.form_errors.append(message)
    return render_template("auth/login.html", form=form), 400


@bp.get("/login/sso")
def sso_login() -> ResponseReturnValue:
    """Send the browser to the provider (with state, nonce and a PKCE challenge)."""
    if not sso_enabled():
        return redirect(url_for("auth.login"))
    try:
        return _client().authorize_redirect(_callback_url())  # type: ignore[no-any-return]
    except (RequestException, AuthlibBaseError, ValueError):
        return _refused(_("The login service does not answer. Try again later."))


@bp.get("/login/sso/jwks.json")
def sso_jwks() -> ResponseReturnValue:
    """The public half of the ``private_key_jwt`` key, for a provider that reads a
    ``jwks_uri`` (404 when no key is configured)."""
    jwks: dict[str, Any] | None = current_app.extensions.get("samspill_oidc_jwks")
    if jwks is None:
        return {"error": "no key"}, 404
    return jwks


def _clocked_claims() -> type[CodeIDToken]:
    # the provider's clock is the wall clock, not the workflow's (pinned in tests); a test
    # may set ``SAMSPILL_OIDC_NOW`` to see an ID token expire
    now = int(current_app.config.get("SAMSPILL_OIDC_NOW", time.time)())

    class ClockedIDToken(CodeIDToken):  # type: ignore[misc]
        def validate(self, now_: int | None = None, leeway: int = 0) -> None:
            super().validate(now=now, leeway=leeway)

    return ClockedIDToken


@bp.get("/login/sso/callback")
def sso_callback() -> ResponseReturnValue:
    """The provider's answer: check state, code, nonce and ID token; log the person in."""
    if not sso_enabled():
        return redirect(url_for("auth.login"))
    client = _client()
    try:
        issuer = client.load_server_metadata()["issuer"]
        token = client.authorize_access_token(
            claims_cls=_clocked_claims(),
            claims_options={"iss": {"essential": True, "values": [issuer]}},
            leeway=LEEWAY,
        )
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise ValueError("no ID token")
        if client.load_server_metadata().get("userinfo_endpoint"):
            more = dict(client.userinfo(token=token))
            if more.get("sub") == claims["sub"]:
                claims = {**more, **claims}
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError):
        return _refused(_("Single sign-on failed. Start again from the login page."))
    rules = workflow.parse_role_map(settings().oidc_role_map)
    try:
        result = workflow.sign_in_sso(current_workflow(), issuer=issuer, claims=claims, rules=rules)
    except WorkflowError:
        return _refused(_("This account cannot log in here. Ask an administrator."))
    assert result.actor is not None
    session.clear()  # nothing from before login survives it, the CSRF token included
    session[ID_TOKEN] = token.get("id_token")
    login_user(WebUser(result.actor, result.session))
    flash(_("Welcome, %(name)s.", name=result.actor.name), "success")
    return redirect(url_for("projects.mine"))


def logout_at_provider(id_token: str | None) -> ResponseReturnValue | None:
    """A redirect to the provider's ``end_session_endpoint``, when it has one."""
    if not (sso_enabled() and id_token):
        return None
    try:
        metadata = _client().load_server_metadata()
    except (RequestException, AuthlibBaseError, ValueError):
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    result = _client().create_logout_url(
        post_logout_redirect_uri=settings().base_url + url_for("auth.login"),
        id_token_hint=id_token,
    )
    return redirect(result["url"])
