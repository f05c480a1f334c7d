"""Single sign-on: a person the OpenID provider vouches for becomes (or is) a user.

The web layer runs the OpenID Connect flow (authorization code with PKCE, state, nonce,
ID token checks); this module gets the checked claims and provisions just in time:

- a user is found by the provider's ``(issuer, sub)`` pair, never by name;
- a first login links an existing account with the same email only when the provider says
  the email is verified (``email_verified``), else it is refused as a duplicate;
- otherwise a new user is created, without a password (they cannot log in locally);
- the role map (``SAMSPILL_OIDC_ROLE_MAP``) sets role and group at every login when a rule
  matches; a user no rule matches keeps the role an admin gave them (new ones: owner).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, insert, update

from workflow.domain.sso import RoleRule, role_for
from workflow.domain.text import has_control
from workflow.errors import Duplicate, InvalidInput, NotFound, Problem
from workflow.runtime import Workflow
from workflow.services import accounts
from workflow.services.login import LoginResult
from workflow.store.tables import users


def _email_of(claims: Mapping[str, Any]) -> str:
    for key in ("email", "preferred_username", "upn"):
        value = str(claims.get(key) or "").strip().lower()
        if accounts.is_email(value):
            return value
    raise InvalidInput({"email": Problem("not_email")})


def _name_of(claims: Mapping[str, Any], email: str) -> str:
    name = str(claims.get("name") or "").strip()
    if not name:
        name = " ".join(
            str(claims.get(k) or "").strip() for k in ("given_name", "family_name")
        ).strip()
    name = "".join(c for c in name if not has_control(c))[:200]
    return name or email.partition("@")[0]


def sign_in_sso(
    wf: Workflow, *, issuer: str, claims: Mapping[str, Any], rules: tuple[RoleRule, ...] = ()
) -> LoginResult:
    """Log in the person of checked ID token ``claims`` from ``issuer``, provisioning them.

    Raises:
        InvalidInput: no usable ``sub`` or email in the claims.
        Duplicate: the email belongs to a local account and is not verified by the provider.
        NotFound: the user was deactivated.
    """
    subject = str(claims.get("sub") or "")
    if not subject or len(subject) > 255 or has_control(subject):
        raise InvalidInput({"sub": Problem("required")})
    email = _email_of(claims)
    name = _name_of(claims, email)
    matched = any(rule.matches(claims) for rule in rules)
    role, group = role_for(rules, claims)
    with wf.db.write() as conn:
        row = accounts.user_by(conn, users.c.oidc_issuer == issuer, users.c.oidc_subject == subject)
        if row is None:
            row = accounts.user_by(conn, func.lower(users.c.email) == email)
            if row is not None:
                if claims.get("email_verified") is not True or row["oidc_subject"] is not None:
                    raise Duplicate({"email": Problem("email_taken", {"email": email})})
                conn.execute(
                    update(users)
                    .where(users.c.id == row["id"])
                    .values(oidc_issuer=issuer, oidc_subject=subject)
                )
        if row is None:
            user_id: int = conn.execute(
                insert(users)
                .values(
                    email=email,
                    name=name,
                    role=role,
                    gatekeeper_group=group,
                    password_hash="",
                    language="nb",
                    is_active=True,
                    created_at=wf.clock(),
                    oidc_issuer=issuer,
                    oidc_subject=subject,
                )
                .returning(users.c.id)
            ).scalar_one()
        else:
            if not row["is_active"]:
                raise NotFound("no_user", user=email)
            user_id = row["id"]
            values: dict[str, Any] = {"name": name}
            if matched:
                values.update(role=role, gatekeeper_group=group)
            conn.execute(update(users).where(users.c.id == user_id).values(**values))
        fresh = accounts.user_by(conn, users.c.id == user_id)
    assert fresh is not None
    return LoginResult(accounts.actor_from_row(fresh), session=fresh["session_generation"])
