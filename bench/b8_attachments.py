"""B8: a 25 MB attachment uploaded and downloaded through the web app, streamed.

The app runs under waitress (one thread, loopback, port 5130-5139) in a child process on a
scratch SQLite database and upload folder. After a warm-up request its resident memory is
read from ``/proc/<pid>/status`` (idle), its peak is reset (``clear_refs`` 5), a 25 MB PDF is
uploaded through ``POST /api/v1/projects/{id}/attachments`` (multipart, sent in 64 kB
chunks) and downloaded (read in chunks, its SHA-256 checked), and the peak (``VmHWM``) is
compared with the idle figure. Target: peak < 50 MB above idle.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import workflow
from bench.common import ROOT, line, main, open_fresh, seed_people, sqlite_url

SIZE_MB = 25
CHUNK = 1 << 16
PORTS = range(5130, 5140)
_SERVE = (
    "import waitress\n"
    "from webapp.app import create_app\n"
    "waitress.serve(create_app(), host='127.0.0.1', port={port}, threads=1, _quiet=True)\n"
)


def _port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 5130-5139")


def _status(pid: int, key: str) -> float:
    """A ``/proc/<pid>/status`` figure in MB (VmRSS, VmHWM)."""
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith(key + ":"):
            return int(row.split()[1]) / 1024
    raise RuntimeError(f"no {key}")


def _body(boundary: str, size: int) -> tuple[Iterator[bytes], int, str]:
    """A multipart body of a ``size``-byte PDF, generated in chunks; its length and digest."""
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\n'
        f"project_description\r\n--{boundary}\r\nContent-Disposition: form-data; "
        f'name="file"; filename="beskrivelse.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    first = b"%PDF-1.4\n"
    block = bytes(range(256)) * (CHUNK // 256)
    sha = hashlib.sha256(first)
    left = size - len(first)
    while left > 0:
        sha.update(block[: min(CHUNK, left)])
        left -= min(CHUNK, left)

    def chunks() -> Iterator[bytes]:
        yield head + first
        rest = size - len(first)
        while rest > 0:
            n = min(CHUNK, rest)
            yield block[:n]
            rest -= n
        yield tail

    return chunks(), len(head) + size + len(tail), sha.hexdigest()


def run(_projects: int = 0) -> tuple[str, bool]:
    """Upload and download a 25 MB attachment; the server's peak memory above idle."""
    with tempfile.TemporaryDirectory(prefix="samspill-b8-") as folder:
        url = sqlite_url(Path(folder) / "b8.db")
        wf = open_fresh(url)
        owner = seed_people(wf, 0).owner
        project = workflow.create_project(wf, owner, definition="ipo", title="B8")
        token = workflow.create_token(wf, owner.email)
        port = _port()
        env = dict(
            os.environ,
            SAMSPILL_DATABASE_URL=url,
            SAMSPILL_UPLOADS=str(Path(folder) / "uploads"),
            SAMSPILL_MAX_UPLOAD_MB=str(SIZE_MB + 5),
            SAMSPILL_DEFINITIONS=str(ROOT / "definitions"),
        )
        server = subprocess.Popen(
            [sys.executable, "-c", _SERVE.format(port=port)], env=env, cwd=folder
        )
        try:
            return _measure(server.pid, port, token, project)
        finally:
            server.terminate()
            server.wait(10)


def _measure(pid: int, port: int, token: str, project: int) -> tuple[str, bool]:
    auth = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/projects/{project}/attachments"
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", base, headers=auth)
            warm = conn.getresponse()
            warm.read()
            break
        except OSError:
            time.sleep(0.1)
    else:
        raise RuntimeError("the server did not start")
    assert warm.status == 200, warm.status
    idle = _status(pid, "VmRSS")
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # peak RSS := current RSS
    chunks, length, digest = _body("b8boundary", SIZE_MB * 1024 * 1024)
    conn.putrequest("POST", base)
    for k, v in auth.items():
        conn.putheader(k, v)
    conn.putheader("Content-Type", "multipart/form-data; boundary=b8boundary")
    conn.putheader("Content-Length", str(length))
    conn.endheaders()
    for chunk in chunks:
        conn.send(chunk)
    answer = conn.getresponse()
    created = json.loads(answer.read())
    assert answer.status == 201, created
    conn.request("GET", f"{base}/{created['id']}", headers=auth)
    got = conn.getresponse()
    sha, size = hashlib.sha256(), 0
    while chunk := got.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
    assert got.status == 200, got.status
    assert sha.hexdigest() == digest == created["sha256"], "the bytes came back changed"
    peak = _status(pid, "VmHWM")
    above = peak - idle
    text = (
        f"{SIZE_MB} MB uploaded and downloaded through waitress, server peak {peak:.0f} MB, "
        f"{above:.1f} MB above idle ({idle:.0f} MB)"
    )
    return line("B8", text, "< 50 MB above idle", above < 50), above < 50


if __name__ == "__main__":
    sys.exit(main(__doc__, run, 0))
