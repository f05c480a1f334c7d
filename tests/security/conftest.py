"""Attack tests of SPEC §7, each marked ``security``; they run on SQLite and PostgreSQL.

The web fixtures are the web tests' ones, without their SQLite-only ``db``: here the
database of each test is both, as in the integration tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import smtp  # noqa: F401  (a real aiosmtpd server)
from tests.web.conftest import (  # noqa: F401
    _catalogues,
    api,
    app,
    browser,
    client,
    held_project,
    login,
    stranger,
)
from tests.web.test_api_concurrency import live_server  # noqa: F401  (waitress on a free port)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``security``."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.security)
