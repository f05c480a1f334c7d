"""``samspill search QUERY [--json]`` on the demo data (SQLite, as the CLI tests run)."""

from __future__ import annotations

import json

from tests.integration.test_cli import env, samspill  # noqa: F401  (fixtures)


def test_search_finds_demo_projects_and_refuses_bad_input_in_one_line(samspill):  # noqa: F811
    samspill("init", "--demo")

    found = samspill("search", "--json", "hjemmetjenesten")
    assert found.exit_code == 0, found.output
    document = json.loads(found.stdout)
    assert document["total"] >= 1
    assert all("\x02" not in i["snippet"] for i in document["items"])

    bad = samspill("search", "x" * 201)
    assert bad.exit_code == 1
    assert bad.stderr.strip().count("\n") == 0
    assert "q:" in bad.stderr
