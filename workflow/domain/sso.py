"""Single sign-on rules without a database: the claim → role map (``SAMSPILL_OIDC_ROLE_MAP``).

The map is a ``;``-separated list of rules ``CLAIM:VALUE=ROLE`` or ``CLAIM:VALUE=ROLE/GROUP``,
e.g. ``groups:innovasjonsutvalg-kommune=gatekeeper/kommune;groups:fou-stab=coordinator``.
A rule matches when the ID token's (or userinfo's) ``CLAIM`` equals ``VALUE`` or, for a
list claim such as ``groups``, contains it. The first matching rule wins, so write the
strongest role first; a user no rule matches is an owner.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflow.errors import InvalidInput, Problem

AUTH_METHODS = ("client_secret_basic", "client_secret_post", "private_key_jwt")
ROLES = ("owner", "gatekeeper", "coordinator", "admin")
VARIABLE = "SAMSPILL_OIDC_ROLE_MAP"
_CLAIM = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]{0,99}")
_GROUP = re.compile(r"[a-z][a-z0-9_]{0,63}")
MAX_RULES = 200


@dataclass(frozen=True)
class RoleRule:
    """``claim`` holding ``value`` gives ``role`` (and, for a gatekeeper, ``group``)."""

    claim: str
    value: str
    role: str
    group: str | None = None

    def matches(self, claims: Mapping[str, Any]) -> bool:
        """Whether the claims carry this rule's value."""
        held = claims.get(self.claim)
        if isinstance(held, (list, tuple)):
            return self.value in [str(v) for v in held]
        return held is not None and str(held) == self.value


def _rule(text: str) -> RoleRule:
    left, eq, right = text.partition("=")
    claim, colon, value = left.strip().rpartition(":")
    role, slash, group = right.strip().partition("/")
    ok = (
        bool(eq)
        and bool(colon)
        and bool(_CLAIM.fullmatch(claim))
        and bool(value)
        and len(value) <= 200
        and not any(c.isspace() or ord(c) < 32 for c in value)
        and role in ROLES
        and (bool(_GROUP.fullmatch(group)) if slash else True)
        and (role != "gatekeeper" or bool(slash))
        and (role == "gatekeeper" or not slash)
    )
    if not ok:
        raise InvalidInput({VARIABLE: Problem("not_role_map", {"rule": text.strip()[:80]})})
    return RoleRule(claim, value, role, group or None)


def parse_role_map(text: str) -> tuple[RoleRule, ...]:
    """The rules of a role map, in order.

    Raises:
        InvalidInput: naming ``SAMSPILL_OIDC_ROLE_MAP`` and the first rule that is not
            ``CLAIM:VALUE=ROLE`` (or ``…=gatekeeper/GROUP``).
    """
    parts = [p for p in (text or "").split(";") if p.strip()]
    if len(parts) > MAX_RULES:
        raise InvalidInput({VARIABLE: Problem("too_many", {"max": MAX_RULES})})
    return tuple(_rule(p) for p in parts)


def role_for(rules: tuple[RoleRule, ...], claims: Mapping[str, Any]) -> tuple[str, str | None]:
    """The role and group the first matching rule gives; an owner when none matches."""
    for rule in rules:
        if rule.matches(claims):
            return rule.role, rule.group
    return "owner", None
