"""A real OpenID provider for the single sign-on tests: ``tests/oidc/provider.mjs`` (the npm
package ``oidc-provider``, installed by ``make oidc``) on a free loopback port.

Without node or the installed package the tests are skipped on a developer's machine, but
fail in CI (``CI=true``): there, single sign-on must be tested.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from joserfc.jwk import RSAKey

from tests.conftest import IN_CI

HERE = Path(__file__).parent / "oidc"
APP = "http://localhost"
CALLBACK = APP + "/login/sso/callback"


@dataclass(frozen=True)
class Provider:
    issuer: str
    private_key: Path

    def log_in(self, authorize_url: str, login: str, app: str = APP) -> str:
        """Drive the provider's login and consent pages as ``login``; return the callback URL
        (with code and state) it sends the browser back to."""
        s = requests.Session()
        url = authorize_url
        for _ in range(12):
            if url.startswith(app):
                return url
            r = s.get(url, allow_redirects=False, timeout=10)
            if r.is_redirect:
                url = urljoin(url, r.headers["location"])
                continue
            assert r.status_code == 200, r.text
            prompt = "login" if 'name="login"' in r.text else "consent"
            found = re.search(r'<form[^>]*action="([^"]+)"', r.text)
            assert found, r.text
            action = urljoin(r.url, html.unescape(found.group(1)))
            data = {"prompt": prompt, "login": login, "password": "x"}
            r = s.post(action, data=data, allow_redirects=False, timeout=10)
            assert r.is_redirect, r.text
            url = urljoin(action, r.headers["location"])
        raise AssertionError("the provider never sent the browser back")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port() -> int:
    """A loopback port nobody listens on now."""
    return _free_port()


def run_provider(
    tmp_path_factory: pytest.TempPathFactory, *, app: str = APP, port: int | None = None
) -> Iterator[Provider]:
    """The provider, for a session-scoped fixture (``yield from run_provider(…)``), sending
    browsers back to ``app``."""
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        message = "node or tests/oidc/node_modules missing: run `make oidc`"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    key = RSAKey.generate_key(2048)
    private = tmp_path_factory.mktemp("oidc") / "client.pem"
    private.write_bytes(key.as_pem(private=True))
    public = dict(key.as_dict(private=False), kid=key.thumbprint(), use="sig", alg="RS256")
    port = port or _free_port()
    process = subprocess.Popen(
        [
            node,
            str(HERE / "provider.mjs"),
            str(port),
            app + "/login/sso/callback",
            app + "/login",
            json.dumps(public),
        ],
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until it listens (or exits)
        assert line.startswith("ready "), f"the OpenID provider did not start: {line!r}"
        yield Provider(issuer=line.split()[1], private_key=private)
    finally:
        process.terminate()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
