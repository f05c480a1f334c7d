"""Users and API tokens (organisations: :mod:`workflow.services.organisations`)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from workflow.domain.text import has_control
from workflow.errors import Duplicate, InvalidInput, NotFound, PermissionDenied, Problem
from workflow.queries.projects import Page
from workflow.runtime import LANGUAGES, ROLES, Actor, Workflow
from workflow.store.tables import (
    follow_ups,
    organisations,
    project_roles,
    projects,
    reviews,
    tokens,
    users,
    votes,
)

GROUP = re.compile(r"^[a-z][a-z0-9_]*$")
MIN_PASSWORD = 8
TOKEN_PREFIX = "sam_"
#: how long an API token lasts unless created with another number of days
TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
#: werkzeug's hashing method; tests use a cheaper one to stay fast
PASSWORD_METHOD = "scrypt"


def hash_password(password: str, method: str) -> str:
    """A salted hash of ``password`` by werkzeug's ``method`` (e.g. ``scrypt``)."""
    # werkzeug is imported here: most processes (the daily check, the API) never hash
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method=method)


def password_matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was hashed from (slow, on purpose)."""
    from werkzeug.security import check_password_hash

    return check_password_hash(stored, password)


def actor_from_row(row: RowMapping) -> Actor:
    """An :class:`Actor` from a row of the users table."""
    return Actor(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        group=row["gatekeeper_group"],
        language=row["language"],
    )


def user_by(conn: Connection, *where: object) -> RowMapping | None:
    """The first row of the users table matching ``where``, or None."""
    return conn.execute(select(users).where(*where)).mappings().first()  # type: ignore[arg-type]


def get_actor(wf: Workflow, *, user_id: int | None = None, email: str | None = None) -> Actor:
    """Load an active user as an :class:`Actor` by id or email. Raises NotFound."""
    where = (
        users.c.id == user_id
        if user_id is not None
        else (func.lower(users.c.email) == (email or "").strip().lower())
    )
    with wf.db.read() as conn:
        row = user_by(conn, where, users.c.is_active.is_(True))
    if row is None:
        raise NotFound("no_user", user=email or user_id)
    return actor_from_row(row)


def is_email(text: str) -> bool:
    """Whether ``text`` looks like an address (``local@domain.tld``, at most 254 characters,
    no spaces or control characters), checked without a backtracking pattern."""
    local, at, domain = text.partition("@")
    return (
        len(text) <= 254
        and bool(local)
        and bool(at)
        and "@" not in domain
        and "." in domain[1:-1]
        and not any(c.isspace() for c in text)
        and not has_control(text)
    )


def add_user(
    wf: Workflow,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    group: str | None = None,
    organisation_key: str | None = None,
    language: str = "nb",
) -> int:
    """Create a user. Returns the new user's id.

    Raises:
        InvalidInput: naming each wrong field (email taken, unknown role, short password, …).
    """
    errors: dict[str, Problem] = {}
    email = (email or "").strip().lower()
    if not is_email(email):
        errors["email"] = Problem("not_email")
    if not (name or "").strip() or len(name) > 200:
        errors["name"] = Problem("length_between", {"min": 1, "max": 200})
    elif has_control(name):  # it reaches mail and log lines
        errors["name"] = Problem("not_one_line")
    if role not in ROLES:
        errors["role"] = Problem("not_one_of", {"choices": list(ROLES)})
    if role == "gatekeeper" and not group:
        errors["group"] = Problem("group_needed")
    if group and not GROUP.match(group):
        errors["group"] = Problem("not_group_name")
    if len(password or "") < MIN_PASSWORD:
        errors["password"] = Problem("too_short", {"min": MIN_PASSWORD})
    if language not in LANGUAGES:
        errors["language"] = Problem("not_one_of", {"choices": list(LANGUAGES)})
    if errors:
        raise InvalidInput(errors)
    with wf.db.write() as conn:
        org_id = None
        if organisation_key:
            org_id = conn.execute(
                select(organisations.c.id).where(organisations.c.key == organisation_key)
            ).scalar_one_or_none()
            if org_id is None:
                raise InvalidInput(
                    {"org": Problem("unknown_organisation_key", {"key": organisation_key})}
                )
        if user_by(conn, func.lower(users.c.email) == email):
            raise Duplicate({"email": Problem("email_taken", {"email": email})})
        return int(
            conn.execute(
                insert(users)
                .values(
                    email=email,
                    name=name.strip(),
                    role=role,
                    gatekeeper_group=group or None,
                    organisation_id=org_id,
                    password_hash=hash_password(password, method=PASSWORD_METHOD),
                    language=language,
                    is_active=True,
                    created_at=wf.clock(),
                )
                .returning(users.c.id)
            ).scalar_one()
        )


def set_language(wf: Workflow, actor: Actor, language: str) -> None:
    """Remember the user's language for pages and mail."""
    if language not in LANGUAGES:
        raise InvalidInput({"language": Problem("not_one_of", {"choices": list(LANGUAGES)})})
    with wf.db.write() as conn:
        conn.execute(update(users).where(users.c.id == actor.id).values(language=language))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(wf: Workflow, email: str, *, days: int = TOKEN_DAYS) -> str:
    """Create an API token for the user with ``email``, valid for ``days``; only its hash
    is stored.

    Raises:
        InvalidInput: ``days`` is not a whole number from 1 to 3650.
        NotFound: no active user has that email.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        wrong = Problem("days_between", {"min": 1, "max": MAX_TOKEN_DAYS})
        raise InvalidInput({"expires_in": wrong})
    actor = get_actor(wf, email=email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = wf.clock()
    with wf.db.write() as conn:
        conn.execute(
            insert(tokens).values(
                user_id=actor.id,
                token_hash=_token_hash(token),
                prefix=token[:12],
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
    return token


def revoke_token(wf: Workflow, token_or_prefix: str) -> int:
    """Revoke a token given whole or by its first 12 characters. Returns how many."""
    value = (token_or_prefix or "").strip()
    where = (
        tokens.c.token_hash == _token_hash(value) if len(value) > 12 else (tokens.c.prefix == value)
    )
    with wf.db.write() as conn:
        result = conn.execute(
            update(tokens).where(where, tokens.c.revoked_at.is_(None)).values(revoked_at=wf.clock())
        )
    if not result.rowcount:
        raise NotFound("no_token")
    return int(result.rowcount)


def actor_for_token(wf: Workflow, token: str) -> Actor | None:
    """The active user a bearer token belongs to, or None for a bad, revoked or expired one."""
    if not token or len(token) > 200:
        return None
    with wf.db.read() as conn:
        row = (
            conn.execute(
                select(users)
                .join(tokens, tokens.c.user_id == users.c.id)
                .where(
                    tokens.c.token_hash == _token_hash(token),
                    tokens.c.revoked_at.is_(None),
                    tokens.c.expires_at > wf.clock(),
                    users.c.is_active.is_(True),
                )
            )
            .mappings()
            .first()
        )
    return actor_from_row(row) if row else None


# --- user administration (admins; issue #17) ---

#: at most this many users a page, and of a user's open projects and votes listed
MAX_PER_PAGE = 100
OPEN_WORK_LIMIT = 50
GENERATED_PASSWORD_BYTES = 12


def _admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied("admins_only")


def _user_row(conn: Connection, user_id: int) -> RowMapping:
    row = user_by(conn, users.c.id == user_id)
    if row is None:
        raise NotFound("no_user", user=user_id)
    return row


def list_users(
    wf: Workflow, actor: Actor, *, search: str = "", page: int = 1, per_page: int = 50
) -> Page:
    """Users by name, filtered by a part of their name or email (admins only).

    Raises:
        PermissionDenied: the actor is not an admin.
        InvalidInput: a page out of range or a search longer than 200 characters.
    """
    _admin(actor)
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE or len(search or "") > 200:
        raise InvalidInput({"page": Problem("number_from", {"min": 1})})
    where = []
    text = (search or "").strip().lower()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            func.lower(users.c.name).like(like, escape="\\")
            | func.lower(users.c.email).like(like, escape="\\")
        )
    query = (
        select(
            users.c.id,
            users.c.email,
            users.c.name,
            users.c.role,
            users.c.gatekeeper_group,
            users.c.is_active,
            users.c.oidc_issuer,
            organisations.c.key.label("organisation_key"),
            organisations.c.name.label("organisation"),
        )
        .select_from(users.outerjoin(organisations, organisations.c.id == users.c.organisation_id))
        .where(*where)
        .order_by(users.c.name, users.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with wf.db.read() as conn:
        items = [dict(r) for r in conn.execute(query).mappings()]
        total = conn.execute(select(func.count()).select_from(users).where(*where)).scalar_one()
    return Page(items=items, total=int(total), page=page, per_page=per_page)


def get_user(wf: Workflow, actor: Actor, user_id: int) -> dict[str, Any]:
    """One user with their tokens and open work: projects they own, roles they hold in open
    projects, conditions they answer for, votes at undecided reviews (admins)."""
    _admin(actor)
    with wf.db.read() as conn:
        row = dict(_user_row(conn, user_id))
        row.pop("password_hash", None)
        org = None
        if row["organisation_id"] is not None:
            org = conn.execute(
                select(organisations.c.key).where(organisations.c.id == row["organisation_id"])
            ).scalar_one_or_none()
        row["organisation_key"] = org
        row["tokens"] = [
            dict(t)
            for t in conn.execute(
                select(
                    tokens.c.id,
                    tokens.c.prefix,
                    tokens.c.created_at,
                    tokens.c.expires_at,
                    tokens.c.revoked_at,
                )
                .where(tokens.c.user_id == user_id)
                .order_by(tokens.c.id.desc())
                .limit(OPEN_WORK_LIMIT)
            ).mappings()
        ]
        row["open_projects"] = [
            dict(p)
            for p in conn.execute(
                select(projects.c.id, projects.c.title, projects.c.stage, projects.c.status)
                .where(
                    projects.c.owner_id == user_id,
                    projects.c.status.in_(("active", "in_review", "on_hold")),
                )
                .order_by(projects.c.id)
                .limit(OPEN_WORK_LIMIT)
            ).mappings()
        ]
        row["open_roles"] = [
            dict(r)
            for r in conn.execute(
                select(
                    projects.c.id.label("project_id"),
                    projects.c.title,
                    projects.c.definition_key,
                    projects.c.definition_version,
                    project_roles.c.role,
                )
                .join(projects, projects.c.id == project_roles.c.project_id)
                .where(
                    project_roles.c.user_id == user_id,
                    projects.c.status.in_(("active", "in_review", "on_hold")),
                )
                .order_by(project_roles.c.id)
                .limit(OPEN_WORK_LIMIT)
            ).mappings()
        ]
        row["open_follow_ups"] = [
            dict(f)
            for f in conn.execute(
                select(follow_ups.c.project_id, follow_ups.c.text, follow_ups.c.due_on)
                .where(follow_ups.c.responsible_id == user_id, follow_ups.c.closed_at.is_(None))
                .order_by(follow_ups.c.due_on, follow_ups.c.id)
                .limit(OPEN_WORK_LIMIT)
            ).mappings()
        ]
        row["open_votes"] = [
            dict(v)
            for v in conn.execute(
                select(reviews.c.project_id, reviews.c.gate_key, votes.c.decision, votes.c.cast_at)
                .join(reviews, reviews.c.id == votes.c.review_id)
                .where(votes.c.voter_id == user_id, reviews.c.decided_at.is_(None))
                .order_by(votes.c.id)
                .limit(OPEN_WORK_LIMIT)
            ).mappings()
        ]
    return row


def update_user(
    wf: Workflow,
    actor: Actor,
    user_id: int,
    *,
    role: str,
    group: str | None = None,
    organisation_key: str | None = None,
) -> None:
    """Change a user's role, gatekeeper group and organisation (the rules of ``add_user``).

    Raises:
        PermissionDenied, NotFound, InvalidInput (naming ``role``, ``group`` or ``org``).
    """
    _admin(actor)
    errors: dict[str, Problem] = {}
    if role not in ROLES:
        errors["role"] = Problem("not_one_of", {"choices": list(ROLES)})
    if role == "gatekeeper" and not group:
        errors["group"] = Problem("group_needed")
    if group and not GROUP.match(group):
        errors["group"] = Problem("not_group_name")
    if errors:
        raise InvalidInput(errors)
    with wf.db.write() as conn:
        _user_row(conn, user_id)
        org_id = None
        if organisation_key:
            org_id = conn.execute(
                select(organisations.c.id).where(organisations.c.key == organisation_key)
            ).scalar_one_or_none()
            if org_id is None:
                raise InvalidInput(
                    {"org": Problem("unknown_organisation_key", {"key": organisation_key})}
                )
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(role=role, gatekeeper_group=group or None, organisation_id=org_id)
        )


def set_active(wf: Workflow, actor: Actor, user_id: int, *, active: bool) -> None:
    """Deactivate (or reactivate) a user; deactivating ends their sessions. An admin cannot
    deactivate themselves."""
    _admin(actor)
    if not active and user_id == actor.id:
        raise InvalidInput({"user": Problem("not_yourself")})
    with wf.db.write() as conn:
        _user_row(conn, user_id)
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(is_active=active, session_generation=users.c.session_generation + 1)
        )


def reset_password(wf: Workflow, actor: Actor, user_id: int, password: str | None = None) -> str:
    """Set a user's password, or generate one when ``password`` is None; returns it (to
    show once). Their sessions end.

    Raises:
        InvalidInput: a password shorter than ``MIN_PASSWORD``.
    """
    _admin(actor)
    if password is None:
        password = secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    if len(password) < MIN_PASSWORD or len(password) > 200:
        raise InvalidInput(
            {"password": Problem("length_between", {"min": MIN_PASSWORD, "max": 200})}
        )
    hashed = hash_password(password, method=PASSWORD_METHOD)  # outside the write lock
    with wf.db.write() as conn:
        _user_row(conn, user_id)
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(password_hash=hashed, session_generation=users.c.session_generation + 1)
        )
    return password


def revoke_user_token(wf: Workflow, actor: Actor, user_id: int, token_id: int) -> None:
    """Revoke one of a user's API tokens (admins only)."""
    _admin(actor)
    with wf.db.write() as conn:
        result = conn.execute(
            update(tokens)
            .where(
                tokens.c.id == token_id, tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None)
            )
            .values(revoked_at=wf.clock())
        )
    if not result.rowcount:
        raise NotFound("no_token")
