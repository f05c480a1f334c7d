"""Logging in: passwords checked under a throttle, and sessions the server can end.

Every attempt is counted *before* its password is checked, in one short write: one
atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per counter, so parallel guesses
cannot all read "not locked yet", and an attempt over a limit is refused without being
checked. The password is then checked outside any transaction (hashing is slow and must
never hold SQLite's write lock), and a success gives back what it reserved.

The counters (the README's security section explains the policy):

- a client **address**, over all accounts: ``ADDRESS`` attempts per window;
- an **account from one address**: ``ACCOUNT_FROM_ADDRESS`` — the lock an attacker sees;
- an **account from all addresses**: ``ACCOUNT``, above what one address can reach in a
  window, so one address cannot lock a victim out of logging in from elsewhere.

Accounts are counted by the email typed, whether or not it exists, and an unknown,
inactive or refused attempt is checked against a dummy hash: the answer and its cost are
the same whether the account exists or not.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Connection, RowMapping, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from workflow.runtime import Actor, Workflow
from workflow.services import accounts
from workflow.store.tables import throttle, users


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` login attempts per ``window`` (which starts at the first)."""

    attempts: int
    window: timedelta


ADDRESS = Limit(20, timedelta(minutes=15))
ACCOUNT_FROM_ADDRESS = Limit(5, timedelta(minutes=15))
#: one address reaches at most 2 × 5 in any window (two of its own windows overlap one)
ACCOUNT = Limit(20, timedelta(minutes=15))
#: expired counters are deleted after each successful login, at most this many at a time
CLEANUP_BATCH = 500


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the actor, or why not (``bad`` or ``locked``).

    ``session`` is the user's session generation, to be kept in the session cookie.
    """

    actor: Actor | None
    problem: str | None = None
    session: int = 0


def _key(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def client_of(address: str) -> str:
    """Who an address stands for: itself for IPv4, its /64 network for IPv6.

    One IPv6 subscriber usually holds a whole /64, so counting single addresses would
    give them billions of fresh ones.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _counters(email: str, address: str) -> list[tuple[str, Limit]]:
    """The counters of an attempt, in the order they are taken (the same in every one)."""
    address = client_of(address)
    return [
        (_key("address", address), ADDRESS),
        (_key("account+address", email, address), ACCOUNT_FROM_ADDRESS),
        (_key("account", email), ACCOUNT),
    ]


def _count(conn: Connection, key: str, limit: Limit, now: datetime) -> int:
    """Count one attempt on ``key`` atomically; returns the attempts of its window."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    new = dialect.insert(throttle).values(key=key, attempts=1, window_ends=now + limit.window)
    expired = throttle.c.window_ends <= now
    statement = new.on_conflict_do_update(
        index_elements=[throttle.c.key],
        set_={
            "attempts": case((expired, 1), else_=throttle.c.attempts + 1),
            "window_ends": case((expired, new.excluded.window_ends), else_=throttle.c.window_ends),
        },
    ).returning(throttle.c.attempts)
    return int(conn.execute(statement).scalar_one())


@cache
def _dummy_hash(method: str) -> str:
    """A hash to check against when there is no account, so that costs the same."""
    return accounts.hash_password("not anybody's password", method=method)


@dataclass(frozen=True)
class _Reservation:
    allowed: bool
    #: this attempt used up a limit: if it fails, the next one is refused
    last: bool
    user: RowMapping | None = None


def _reserve(wf: Workflow, email: str, address: str) -> _Reservation:
    """Count the attempt on each counter (stopping at one over its limit); read the user."""
    now = wf.clock()
    with wf.db.write() as conn:
        last = False
        for key, limit in _counters(email, address):
            attempts = _count(conn, key, limit, now)
            if attempts > limit.attempts:
                return _Reservation(allowed=False, last=True)
            last = last or attempts == limit.attempts
        user = accounts.user_by(
            conn, func.lower(users.c.email) == email, users.c.is_active.is_(True)
        )
    return _Reservation(allowed=True, last=last, user=user)


def _release(wf: Workflow, email: str, address: str) -> None:
    """After a success: the account's counters start over, the address gets its attempt back."""
    (address_key, _), *account_counters = _counters(email, address)
    now = wf.clock()
    with wf.db.write() as conn:
        conn.execute(
            update(throttle)
            .where(throttle.c.key == address_key, throttle.c.attempts > 0)
            .values(attempts=throttle.c.attempts - 1)
        )
        conn.execute(delete(throttle).where(throttle.c.key.in_([k for k, _ in account_counters])))
    # apart, in batches, skipping rows that attempts hold: it never makes anyone wait
    expired = (
        select(throttle.c.key)
        .where(throttle.c.window_ends <= now)
        .limit(CLEANUP_BATCH)
        .with_for_update(skip_locked=True)
    )
    with wf.db.write() as conn:
        conn.execute(delete(throttle).where(throttle.c.key.in_(expired.scalar_subquery())))


def authenticate(wf: Workflow, email: str, password: str, *, address: str) -> LoginResult:
    """Check a password from a client ``address``; too many attempts are refused a while.

    The answer (``bad`` or ``locked``) and the work done are the same for an account that
    does not exist as for one that does.
    """
    email = (email or "").strip().lower()
    reserved = _reserve(wf, email, address)
    user = reserved.user if reserved.allowed else None
    # a refused or unknown attempt costs the same check, against a hash nobody can match
    stored = user["password_hash"] if user else _dummy_hash(accounts.PASSWORD_METHOD)
    if not accounts.password_matches(stored, password or "") or user is None:
        return LoginResult(None, "locked" if reserved.last else "bad")
    _release(wf, email, address)
    return LoginResult(accounts.actor_from_row(user), session=user["session_generation"])


def actor_for_session(wf: Workflow, user_id: int, generation: int) -> Actor | None:
    """The active user of a session cookie, or None once that user has logged out since."""
    with wf.db.read() as conn:
        row = accounts.user_by(
            conn,
            users.c.id == user_id,
            users.c.session_generation == generation,
            users.c.is_active.is_(True),
        )
    return accounts.actor_from_row(row) if row else None


def end_sessions(wf: Workflow, user_id: int) -> None:
    """End every session of the user (logging out): their cookies no longer sign anyone in."""
    with wf.db.write() as conn:
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(session_generation=users.c.session_generation + 1)
        )
