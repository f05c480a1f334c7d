"""Behind a reverse proxy the throttle counts the client's address, not the proxy's.

The app runs in waitress (as ``samspill serve`` runs it) on a free port; the test is the
proxy at 127.0.0.1 and says which client each request is from in ``X-Forwarded-For``.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests import webtools
from tests.webtools import PASSWORD, csrf_token
from webapp.cli.run import proxy_options
from workflow.services import login


@contextmanager
def serving(app, trusted_proxy: str | None) -> Iterator[str]:
    """The app in waitress with ``samspill serve``'s proxy settings; yields ``host:port``."""
    with webtools.serving(app, threads=2, **proxy_options(trusted_proxy)) as address:
        yield address


def logs_in(address: str, email: str, password: str, client: str) -> bool:
    """Log in through the server as if from ``client``; whether it let us in."""
    conn = http.client.HTTPConnection(address, timeout=30)
    try:
        forwarded = {"X-Forwarded-For": client}
        conn.request("GET", "/login", headers=forwarded)
        page = conn.getresponse()
        cookie = SimpleCookie(page.getheader("Set-Cookie"))["session"].value
        token = csrf_token(page.read().decode())
        body = urlencode({"csrf_token": token, "email": email, "password": password})
        headers = {
            **forwarded,
            "Cookie": f"session={cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        conn.request("POST", "/login", body=body, headers=headers)
        answer = conn.getresponse()
        answer.read()
        return answer.status == 302
    finally:
        conn.close()


def lock_out(address: str, email: str, client: str) -> None:
    for i in range(login.ACCOUNT_FROM_ADDRESS.attempts):
        assert not logs_in(address, email, f"guess-{i}", client)


def attack_then_owner(app, owner, trusted_proxy: str | None) -> bool:
    with serving(app, trusted_proxy) as address:
        lock_out(address, owner.email, "198.51.100.66")
        return logs_in(address, owner.email, PASSWORD, "192.0.2.10")


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(app, owner):
    assert attack_then_owner(app, owner, trusted_proxy="127.0.0.1") is True


def test_without_trusting_the_proxy_everyone_looks_like_one_client(app, owner):
    assert attack_then_owner(app, owner, trusted_proxy=None) is False


def test_a_forwarded_header_from_an_untrusted_sender_is_ignored(app, owner):
    # the proxy we trust is elsewhere; a client at 127.0.0.1 cannot pick its address
    assert attack_then_owner(app, owner, trusted_proxy="192.0.2.254") is False
