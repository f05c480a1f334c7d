"""Bearer-token authentication for ``/api/v1``: no session cookie is ever looked at."""

from __future__ import annotations

from apiflask import HTTPTokenAuth
from flask import g

import workflow
from webapp.extensions import current_workflow
from workflow import Actor

token_auth = HTTPTokenAuth(
    scheme="Bearer",
    description="An API token printed by `samspill token create EMAIL`.",
    security_scheme_name="BearerToken",
)


@token_auth.verify_token
def verify_token(token: str) -> Actor | None:
    """The active user the token belongs to (also ``g.api_actor``), or None: a 401."""
    actor = workflow.actor_for_token(current_workflow(), token)
    if actor is not None:
        g.api_actor = actor
    return actor


def api_actor() -> Actor:
    """The actor of the API request, as authenticated by its bearer token."""
    return g.api_actor  # type: ignore[no-any-return]
