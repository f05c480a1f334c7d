"""Files: a mistyped database path creates nothing; the database and the instance folder are
readable by the service's user only (SPEC §7). SQLite only: PostgreSQL keeps its own files."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

import workflow
from tests.conftest import ROOT
from webapp.cli import main
from workflow import Database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def service_dir(tmp_path, monkeypatch):
    """A fresh working directory with the usual umask, where `instance/` does not exist yet."""
    monkeypatch.chdir(tmp_path)
    saved = os.umask(0o022)
    yield tmp_path
    os.umask(saved)


def samspill(*args: str, **env: str):
    env.setdefault("SAMSPILL_DEFINITIONS", str(ROOT / "definitions"))
    return CliRunner().invoke(main, list(args), env=env)


def test_a_mistyped_sqlite_path_is_refused_and_creates_nothing(service_dir):
    url = f"sqlite:///{service_dir}/no/such/dir/x.db"

    result = samspill("init", SAMSPILL_DATABASE_URL=url)

    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: SAMSPILL_DATABASE_URL: the directory '{service_dir}/no/such/dir' does not exist"
    ]
    assert list(service_dir.iterdir()) == []


def test_the_database_and_the_instance_folder_are_private(service_dir):
    assert samspill("init").exit_code == 0
    db = Database.from_url("sqlite:///instance/samspill.db")

    with db.write() as conn:  # the pooled connection keeps the -wal and -shm files open
        conn.execute(text("CREATE TABLE probe (x INTEGER)"))

    instance = service_dir / "instance"
    assert mode(instance) == 0o700
    for name in ("samspill.db", "samspill.db-wal", "samspill.db-shm"):
        assert mode(instance / name) == 0o600, name
    db.dispose()


def test_the_web_app_keeps_its_secret_in_a_private_instance_folder(service_dir):
    import workflow
    from webapp import create_app

    wf = workflow.Workflow(Database.from_url(f"sqlite:///{service_dir}/web.db"))

    create_app({"TESTING": True}, settings=workflow.Settings(), wf=wf)

    assert mode(service_dir / "instance") == 0o700
    assert mode(service_dir / "instance" / "secret_key") == 0o600
    wf.db.dispose()


def test_uploads_are_private_and_stored_once_by_content(service_dir):
    store = workflow.Settings.from_env({}).file_store()  # instance/uploads, the default
    payload = b"prosjektbeskrivelse " * 10_000

    first = store.put(io.BytesIO(payload))
    again = store.put(io.BytesIO(payload))

    assert first == again
    assert first.size == len(payload)
    with store.open(first.digest) as stored:
        assert stored.read() == payload
    instance = service_dir / "instance"
    folders = [p for p in instance.rglob("*") if p.is_dir()] + [instance]
    files = [p for p in instance.rglob("*") if p.is_file()]
    assert len(files) == 1  # the second copy and the temporary file are gone
    assert {mode(p) for p in folders} == {0o700}
    assert mode(files[0]) == 0o600


def test_a_failed_upload_leaves_no_file(service_dir):
    class Broken(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 100_000:
                raise OSError("connection reset")
            return super().read(size)

    store = workflow.Settings.from_env({}).file_store()

    with pytest.raises(OSError, match="connection reset"):
        store.put(Broken(b"x" * 500_000))

    assert [p for p in (service_dir / "instance").rglob("*") if p.is_file()] == []
