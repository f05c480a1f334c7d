"""B3: the project list and a project page at 100,000 projects, one server worker, p95.

The app runs under waitress with one thread on loopback; a client on this machine requests
random pages of the list and random project pages, both in the browser UI (logged in as a
coordinator) and in the JSON API (bearer token), and the 95th percentile latency of each is
reported. The target is met when every one of them is under 50 ms.
"""

from __future__ import annotations

import http.client
import random
import re
import socket
import statistics
import sys
import threading
import time
import urllib.parse

import waitress

import workflow
from bench.common import (
    ROOT,
    line,
    main,
    open_fresh,
    scratch_sqlite,
    seed_people,
    seed_projects,
    sqlite_url,
)

TARGET_MS = 50.0
REQUESTS = 200
#: benefit realisation (issue 13): projects given a plan of BENEFITS × MEASUREMENTS
PLANNED_PROJECTS, BENEFITS, MEASUREMENTS = 20, 10, 20


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """A tiny HTTP client keeping one connection and the session cookie."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.headers: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        all_headers = dict(self.headers, **(headers or {}))
        if self.cookie:
            all_headers["Cookie"] = self.cookie
        self.conn.request(method, path, body=body, headers=all_headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookie = value.split(";", 1)[0]
        return response.status, text

    def timed(self, path: str) -> float:
        start = time.perf_counter()
        status, _ = self.request("GET", path)
        elapsed = (time.perf_counter() - start) * 1000
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return elapsed


def login(client: Client, email: str, password: str) -> None:
    """Log in through the real form, CSRF token included."""
    _, page = client.request("GET", "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"email": email, "password": password, "csrf_token": token[1] if token else ""}
    status, _ = client.request(
        "POST",
        "/login",
        urllib.parse.urlencode(form),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status not in (302, 303):
        raise RuntimeError(f"login answered {status}")


def p95(samples: list[float]) -> float:
    """The 95th percentile of ``samples``."""
    return statistics.quantiles(samples, n=20)[-1]


def run(projects: int) -> tuple[str, bool]:
    """Seed ``projects``, serve them, and measure the four kinds of request."""
    from webapp import create_app

    with scratch_sqlite() as path:
        wf = open_fresh(sqlite_url(path))
        people = seed_people(wf)
        seed_projects(wf, people.owner.id, projects, in_review=min(1000, projects))
        workflow.add_user(
            wf,
            email="coordinator@bench.no",
            name="Coordinator",
            role="coordinator",
            password="bench-password",
        )
        token = workflow.create_token(wf, "coordinator@bench.no")
        seed_benefit_plans(wf, people.owner.id, projects)
        settings = workflow.Settings(
            database_url=sqlite_url(path), definitions=ROOT / "definitions"
        )
        app = create_app(settings=settings, wf=wf)
        port = free_port()
        server = waitress.create_server(app, host="127.0.0.1", port=port, threads=1)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        results = _measure(port, projects, token)
        # the daemon server thread ends with the process; closing it under waitress's
        # loop only races its trigger pipe
        wf.db.dispose()
    ok = all(v < TARGET_MS for v in results.values())
    text = "p95 " + ", ".join(f"{k} {v:.1f} ms" for k, v in results.items())
    text += f" at {projects:,} projects"
    return line("B3", text, f"< {TARGET_MS:.0f} ms each", ok), ok


def _measure(port: int, projects: int, token: str) -> dict[str, float]:
    rng = random.Random(7)
    ui = Client(port)
    login(ui, "coordinator@bench.no", "bench-password")
    api = Client(port)
    api.headers["Authorization"] = f"Bearer {token}"
    pages = max(1, projects // 25)
    paths = {
        "UI list": lambda: f"/portfolio?page={rng.randint(1, min(pages, 4000))}",
        "UI project": lambda: f"/projects/{rng.randint(1, projects)}",
        # benefit realisation (issue 13): a project page with 10 benefits × 20 measurements
        "UI project with benefit plan": lambda: f"/projects/{rng.randint(1, planned(projects))}",
        "API list": lambda: f"/api/v1/projects?page={rng.randint(1, min(pages, 4000))}",
        "API project": lambda: f"/api/v1/projects/{rng.randint(1, projects)}",
    }
    results = {}
    for name, make in paths.items():
        client = api if name.startswith("API") else ui
        for _ in range(10):  # warm-up
            client.timed(make())
        results[name] = p95([client.timed(make()) for _ in range(REQUESTS)])
    return results


def planned(projects: int) -> int:
    """How many projects (ids 1…n) have a benefit plan."""
    return min(PLANNED_PROJECTS, projects)


def seed_benefit_plans(wf: workflow.Workflow, owner_id: int, projects: int) -> None:
    """Projects 1…``planned`` get ``BENEFITS`` benefits of ``MEASUREMENTS`` monthly
    measurements each, written straight into the tables (benefit realisation, issue 13)."""
    from datetime import UTC, date, datetime, timedelta

    from workflow.store.tables import benefits, measurements

    now = datetime.now(UTC)
    start = date(2025, 1, 1)
    with wf.db.write() as conn:
        for pid in range(1, planned(projects) + 1):
            rows = [
                {
                    "project_id": pid,
                    "description": f"Gevinst {n + 1}: færre timer brukt på manuelle rutiner",
                    "type": ("efficiency", "quality", "other_actors")[n % 3],
                    "chain_link": "user_effect",
                    "indicator": "Timer per uke",
                    "unit": "timer",
                    "change_on": start,
                    "baseline_value": 100.0,
                    "baseline_on": start - timedelta(days=30),
                    "target_value": 60.0,
                    "target_on": start + timedelta(days=30 * MEASUREMENTS),
                    "owner_id": owner_id,
                    "preconditions": "",
                    "nok_per_year": 100_000 * (n + 1),
                    "unexpected": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(BENEFITS)
            ]
            ids = conn.execute(benefits.insert().returning(benefits.c.id), rows).scalars().all()
            conn.execute(
                measurements.insert(),
                [
                    {
                        "benefit_id": bid,
                        "value": 100.0 - 2 * m,
                        "measured_on": start + timedelta(days=30 * m),
                        "comment": "",
                        "recorded_by": owner_id,
                        "recorded_at": now,
                    }
                    for bid in ids
                    for m in range(MEASUREMENTS)
                ],
            )


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 100_000))
