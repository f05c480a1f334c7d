"""SPEC §4 and §7 (kept): twenty clients racing on one project through a live server — one
gate decision wins, one stale-checked edit wins; the trail still verifies afterwards."""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any

import workflow
from tests.web.api_fixtures import project_url

CLIENTS = 20


def _send(address: str, method: str, path: str, token: str, body: dict, etag: str) -> int:
    conn = http.client.HTTPConnection(address, timeout=60)
    try:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "If-Match": etag,
        }
        conn.request(method, path, body=json.dumps(body), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _together(requests: list[tuple[Any, ...]]) -> list[int]:
    """Send every request from its own thread, all released at once; their statuses."""
    start = threading.Barrier(len(requests))
    statuses: list[int] = []
    lock = threading.Lock()

    def send(*args: Any) -> None:
        start.wait()
        status = _send(*args)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=send, args=r) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _faults(wf) -> list:
    with wf.db.read() as conn:
        return list(workflow.verify_chains(conn))


def test_twenty_decisions_on_one_gate_one_wins(live_server, wf, create_user, submitted_project):
    gatekeepers = [
        create_user("gatekeeper", group=("kommune", "ntnu")[i % 2]) for i in range(CLIENTS)
    ]
    path = project_url(submitted_project, "/decisions")
    etag = f'"{workflow.get_project(wf, submitted_project).project["version"]}"'
    decisions = [{"decision": "kill", "comment": "Nei"}, {"decision": "hold", "comment": "Vent"}]
    requests = [
        (live_server, "POST", path, workflow.create_token(wf, g.email), decisions[i % 2], etag)
        for i, g in enumerate(gatekeepers)
    ]

    statuses = _together(requests)

    assert sorted(statuses) == [200] + [409] * (CLIENTS - 1), statuses
    actions = [e["action"] for e in workflow.project_events(wf, submitted_project)]
    assert sum(a in ("killed", "held") for a in actions) == 1
    assert _faults(wf) == []


def test_twenty_patches_with_one_if_match_one_wins(live_server, wf, owner, ready_project):
    token = workflow.create_token(wf, owner.email)
    path = project_url(ready_project)
    version = workflow.get_project(wf, ready_project).project["version"]
    requests = [
        (live_server, "PATCH", path, token, {"title": f"Versjon {i}"}, f'"{version}"')
        for i in range(CLIENTS)
    ]

    statuses = _together(requests)

    assert sorted(statuses) == [200] + [412] * (CLIENTS - 1), statuses
    project = workflow.get_project(wf, ready_project).project
    assert project["version"] == version + 1
    edits = [e for e in workflow.project_events(wf, ready_project) if e["action"] == "edited"]
    assert len(edits) == 1
    assert project["title"].startswith("Versjon ")
    assert _faults(wf) == []
