"""Helpers for the web and browser tests: compiled catalogues, CSRF tokens, logging in, a live
server."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from workflow import Actor

TRANSLATIONS = Path(__file__).resolve().parent.parent / "webapp" / "translations"
PASSWORD = "password123"
_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@contextmanager
def serving(app: Any, **options: Any) -> Iterator[str]:
    """Serve ``app`` with waitress on a free loopback port in a thread; yields ``host:port``.

    The loop polls in short rounds and stops between two of them; only then are the sockets
    closed, from this thread. Closing them under a running ``select()`` (from another thread
    or through the trigger) made the shutdown fail with EBADF now and then.
    """
    from waitress import wasyncore
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, **options)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)


def compile_catalogues() -> None:
    """Compile each ``messages.po`` into ``messages.mo`` when missing or older (as `make`)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_name(f"{mo.name}.{os.getpid()}")  # test workers compile side by side
        with partial.open("wb") as target:
            write_mo(target, catalog)
        partial.replace(mo)


def csrf_token(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


class Browser:
    """A test client that knows its CSRF token and can log in."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def get(self, url: str, **kwargs):
        response = self.client.get(url, **kwargs)
        if b'name="csrf_token"' in response.data:
            self.token = csrf_token(response.get_data(as_text=True))
        return response

    def post(self, url: str, data: dict | None = None, **kwargs):
        if not self.token:  # a page with a form: the login page, or where it sends a user
            self.get("/login", follow_redirects=True)
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def login(self, user: Actor, password: str = PASSWORD):
        self.get("/login")
        response = self.post("/login", {"email": user.email, "password": password})
        if response.status_code == 302:
            self.token = ""  # the CSRF token changes at login; the next page has the new one
        return response

    def text(self, url: str, **kwargs) -> str:
        return self.get(url, **kwargs).get_data(as_text=True)
