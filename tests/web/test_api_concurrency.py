"""Optimistic concurrency: ETags, If-Match → 412, and two decisions at once → one 409.

The race runs against a live server (waitress on a free port, in a thread) with two
client threads released together, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import workflow
from tests.web.api_fixtures import GO, both_databases, project_url  # noqa: F401  (`db`)
from tests.webtools import serving


def test_get_answers_the_version_as_etag(api, owner, ready_project):
    response = api.as_(owner).get(project_url(ready_project))

    assert response.headers["ETag"] == f'"{response.json["version"]}"'


def test_a_patch_with_a_stale_if_match_is_412_and_changes_nothing(api, owner, ready_project):
    as_owner = api.as_(owner)
    etag = as_owner.get(project_url(ready_project)).headers["ETag"]
    as_owner.patch(project_url(ready_project), json={"title": "Først"}, headers={"If-Match": etag})

    stale = as_owner.patch(
        project_url(ready_project), json={"title": "Sist"}, headers={"If-Match": etag}
    )

    assert stale.status_code == 412
    assert stale.json["error"]["code"] == "stale_version"
    assert stale.json["error"]["problem"] == "stale_version"
    assert stale.json["error"]["params"] == {
        "project": ready_project,
        "expected": int(etag.strip('"')),
        "actual": int(etag.strip('"')) + 1,
    }
    assert as_owner.get(project_url(ready_project)).json["title"] == "Først"


def test_a_stale_version_field_is_412_too(api, owner, ready_project):
    response = api.as_(owner).patch(project_url(ready_project), json={"title": "X", "version": 1})

    assert response.status_code == 412


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"If-Match": "*"}, {}, 200),
        ({"If-Match": '"3"'}, {"version": 3}, 200),
        ({"If-Match": "3"}, {}, 400),
        ({"If-Match": 'W/"3"'}, {}, 400),
        ({"If-Match": '"3", "4"'}, {}, 400),
        ({"If-Match": '"3"'}, {"version": 2}, 422),
        ({"If-Match": '"99999999999"'}, {}, 412),
    ],
)
def test_if_match_forms(api, owner, ready_project, headers, body, status):
    response = api.as_(owner).patch(
        project_url(ready_project), json={"title": "Ny", **body}, headers=headers
    )

    assert response.status_code == status, response.json


def test_a_decision_on_a_stale_version_of_an_open_gate_is_412(
    api, kommune, ntnu, submitted_project
):
    etag = api.as_(kommune).get(project_url(submitted_project)).headers["ETag"]
    api.as_(ntnu).post(
        project_url(submitted_project, "/decisions"), json={"decision": "go", "scores": GO}
    )

    late = api.as_(kommune).post(
        project_url(submitted_project, "/decisions"),
        json={"decision": "go", "scores": GO},
        headers={"If-Match": etag},
    )

    assert late.status_code == 412


def test_a_decision_on_a_gate_already_decided_is_409(api, kommune, ntnu, submitted_project):
    etag = api.as_(kommune).get(project_url(submitted_project)).headers["ETag"]
    api.as_(ntnu).post(
        project_url(submitted_project, "/decisions"), json={"decision": "kill", "comment": "Nei"}
    )

    late = api.as_(kommune).post(
        project_url(submitted_project, "/decisions"),
        json={"decision": "hold", "comment": "Vent"},
        headers={"If-Match": etag},
    )

    assert late.status_code == 409
    assert late.json["error"]["code"] == "conflict"


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served by waitress on a free port; yields ``host:port``."""
    with serving(app, threads=4) as address:
        yield address


def _post(address: str, path: str, token: str, body: dict[str, Any], etag: str) -> int:
    conn = http.client.HTTPConnection(address, timeout=30)
    try:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "If-Match": etag,
        }
        conn.request("POST", path, body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize("round_", range(3))
def test_two_gatekeepers_deciding_at_once_one_wins_and_one_gets_409(
    live_server, wf, kommune, ntnu, submitted_project, round_
):
    path = project_url(submitted_project, "/decisions")
    etag = f'"{workflow.get_project(wf, submitted_project).project["version"]}"'
    votes = [
        (workflow.create_token(wf, kommune.email), {"decision": "kill", "comment": "Nei"}),
        (workflow.create_token(wf, ntnu.email), {"decision": "hold", "comment": "Vent"}),
    ]
    start = threading.Barrier(len(votes))
    statuses: list[int] = []

    def decide(token: str, body: dict[str, Any]) -> None:
        start.wait()
        statuses.append(_post(live_server, path, token, body, etag))

    threads = [threading.Thread(target=decide, args=vote) for vote in votes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200, 409]
    decided = [e for e in workflow.project_events(wf, submitted_project) if e["action"] != "voted"]
    assert [e["action"] for e in decided][-1] in ("killed", "held")
    assert sum(e["action"] in ("killed", "held") for e in decided) == 1
