"""Password guessing: parallel guesses cannot outrun the throttle, one address cannot lock a
victim out, a locked or missing account answers alike, and no hash runs in a write lock.

Each attempt goes through the login page of the real app, in threads released together by
a barrier, with its own client address. A spy around the real password check records
which hash each check ran against: a *guess checked* is a check against the victim's own
hash. Nothing here measures time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select, text

from tests.webtools import PASSWORD, Browser, csrf_token
from workflow import Actor, Workflow
from workflow.services import accounts, login
from workflow.store.tables import User, table

users = table(User)


class Checks:
    """Spy on the real password check: the hash each call checked against."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, during: Callable[[], None] = lambda: None):
        self.hashes: list[str] = []
        real = accounts.password_matches

        def spy(stored: str, password: str) -> bool:
            self.hashes.append(stored)
            during()
            return real(stored, password)

        monkeypatch.setattr(accounts, "password_matches", spy)

    def against(self, stored: str) -> int:
        """How many checks ran against ``stored``."""
        return sum(1 for h in self.hashes if h == stored)


def stored_hash(wf: Workflow, user: Actor) -> str:
    with wf.db.read() as conn:
        return str(
            conn.execute(select(users.c.password_hash).where(users.c.id == user.id)).scalar()
        )


def attempt(app, email: str, password: str, address: str) -> Callable[[], int]:
    """A login prepared now (page and CSRF token fetched) and sent when called: its status."""
    browser = Browser(app.test_client())
    browser.get("/login", environ_base={"REMOTE_ADDR": address})

    def send() -> int:
        form = {"email": email, "password": password}
        return browser.post("/login", form, environ_base={"REMOTE_ADDR": address}).status_code

    return send


def in_parallel(sends: list[Callable[[], int]]) -> list[int]:
    """Send every prepared login at once, each from its own thread; their statuses."""
    barrier = threading.Barrier(len(sends))
    statuses: list[int] = [0] * len(sends)

    def run(i: int) -> None:
        barrier.wait()
        statuses[i] = sends[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(sends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_parallel_guesses_from_one_address_get_five_checked_then_the_lock(
    app, wf, owner, monkeypatch
):
    checks = Checks(monkeypatch)
    guesses = [attempt(app, owner.email, f"wrong-{i}", "198.51.100.7") for i in range(29)]

    statuses = in_parallel(guesses)
    right = attempt(app, owner.email, PASSWORD, "198.51.100.7")()

    assert checks.against(stored_hash(wf, owner)) <= login.ACCOUNT_FROM_ADDRESS.attempts
    assert len(checks.hashes) == 30  # the refused ones cost a check too, against a dummy
    assert set(statuses) == {400}
    assert right == 400  # locked: the right password comes too late


def test_three_hundred_guesses_from_sixteen_addresses_get_the_account_limit(
    app, wf, owner, monkeypatch
):
    checks = Checks(monkeypatch)
    sends = [attempt(app, owner.email, f"wrong-{i}", f"203.0.113.{i % 16 + 1}") for i in range(300)]

    statuses = in_parallel(sends)

    assert checks.against(stored_hash(wf, owner)) <= login.ACCOUNT.attempts
    assert set(statuses) == {400}


def test_one_address_guessing_many_accounts_is_stopped_at_the_address_limit(
    app, wf, create_user, monkeypatch
):
    victims = [create_user("owner") for _ in range(login.ADDRESS.attempts + 10)]
    checks = Checks(monkeypatch)
    sends = [attempt(app, v.email, "Sommer2026!", "192.0.2.99") for v in victims]

    in_parallel(sends)

    real = sum(checks.against(stored_hash(wf, v)) for v in victims)
    assert real <= login.ADDRESS.attempts
    elsewhere = attempt(app, victims[-1].email, PASSWORD, "192.0.2.100")
    assert elsewhere() == 302


def test_one_address_cannot_lock_a_victim_out_of_logging_in_elsewhere(app, owner):
    attacker = "198.51.100.66"
    for i in range(3 * login.ACCOUNT_FROM_ADDRESS.attempts):
        attempt(app, owner.email, f"guess-{i}", attacker)()

    assert attempt(app, owner.email, PASSWORD, attacker)() == 400  # locked for the attacker
    assert attempt(app, owner.email, PASSWORD, "192.0.2.10")() == 302  # not for the victim


def test_a_locked_account_and_a_missing_one_answer_alike_at_the_same_cost(
    app, wf, owner, monkeypatch
):
    checks = Checks(monkeypatch)
    answers: dict[str, list[tuple[int, str, int]]] = {}
    for email in (owner.email, "nobody@example.no"):
        answers[email] = []
        for i in range(login.ACCOUNT_FROM_ADDRESS.attempts + 2):
            browser = Browser(app.test_client())
            browser.get("/login")
            before = len(checks.hashes)
            response = browser.post("/login", {"email": email, "password": f"guess-{i}"})
            body = response.get_data(as_text=True).replace(email, "EMAIL")
            body = body.replace(csrf_token(body), "TOKEN")
            answers[email].append((response.status_code, body, len(checks.hashes) - before))

    assert answers[owner.email] == answers["nobody@example.no"]
    assert all(cost == 1 for _, _, cost in answers[owner.email])
    assert "kontoen er låst" in answers["nobody@example.no"][-1][1]
    methods = {h.split("$")[0] for h in checks.hashes}
    assert len(methods) == 1  # the dummy is hashed the way real passwords are


def _no_write_lock_probe(wf: Workflow) -> Callable[[], None]:
    """A check, run while a password is hashed, that no write transaction is open."""
    if wf.db.is_sqlite:
        path = wf.db.engine.url.database

        def probe() -> None:
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")  # another writer gets the lock at once
                other.execute("ROLLBACK")
            finally:
                other.close()

        return probe

    def probe() -> None:
        with wf.db.engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
                )
            ).scalar()
        assert waiting == 0, "a transaction stays open while the password is hashed"

    return probe


@pytest.mark.parametrize("password", ["wrong-password", PASSWORD])
def test_no_write_transaction_is_open_while_the_password_is_checked(
    app, wf, owner, monkeypatch, password
):
    failures: list[BaseException] = []
    probe = _no_write_lock_probe(wf)

    def during() -> None:
        try:
            probe()
        except BaseException as exc:
            failures.append(exc)

    checks = Checks(monkeypatch, during)

    status = attempt(app, owner.email, password, "192.0.2.1")()

    assert len(checks.hashes) == 1
    assert status == (302 if password == PASSWORD else 400)
    assert failures == []


def test_the_lock_ends_with_its_window_and_old_counters_are_deleted(app, wf, owner):
    for i in range(login.ACCOUNT_FROM_ADDRESS.attempts):
        attempt(app, "nobody@example.no", f"guess-{i}", f"203.0.113.{i}")()
        attempt(app, owner.email, f"guess-{i}", "198.51.100.66")()
    assert attempt(app, owner.email, PASSWORD, "198.51.100.66")() == 400
    start = wf.clock()

    wf.clock = lambda: start + login.ACCOUNT_FROM_ADDRESS.window
    back = attempt(app, owner.email, PASSWORD, "198.51.100.66")()

    assert back == 302
    with wf.db.read() as conn:
        left = conn.execute(select(login.throttle.c.window_ends)).scalars().all()
    assert len(left) == 1  # the address's own counter, in its new window; the rest are gone
    assert left[0] > wf.clock()


def test_addresses_of_one_ipv6_network_count_as_one_client(app, owner):
    for i in range(login.ACCOUNT_FROM_ADDRESS.attempts):
        attempt(app, owner.email, f"guess-{i}", f"2001:db8:1:2::{i + 1:x}")()

    assert attempt(app, owner.email, PASSWORD, "2001:db8:1:2:ffff::9")() == 400
    assert attempt(app, owner.email, PASSWORD, "2001:db8:1:3::1")() == 302


def test_client_of_names_the_network_an_address_belongs_to():
    assert login.client_of("203.0.113.9") == "203.0.113.9"
    assert login.client_of("::ffff:203.0.113.9") == "203.0.113.9"
    assert login.client_of("2001:DB8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert login.client_of("unknown") == "unknown"
