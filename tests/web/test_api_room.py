"""The project room API (SPEC §4b): roles, and attachments uploaded (multipart), listed and
downloaded (streamed, as an attachment), on both databases."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import update

import workflow
from tests.web.api_fixtures import both_databases as db  # noqa: F401  (both databases)
from tests.web.api_fixtures import project_url
from webapp.app import create_app
from workflow.store.tables import projects

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app(wf, tmp_path: Path):
    """The app storing uploads under the test's folder, at most 1 MB each."""
    settings = workflow.Settings(uploads=str(tmp_path / "uploads"), max_upload_mb=1)
    return create_app({"TESTING": True}, settings=settings, wf=wf)


@pytest.fixture
def ipo_project(wf, owner) -> int:
    return workflow.create_project(wf, owner, definition="ipo", title="Velferdsteknologi")


def upload(client, pid: int, data: bytes, name: str, kind: str = "project_description", **kw):
    return client.post(
        project_url(pid, "/attachments"),
        data={"type": kind, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        **kw,
    )


def test_roles_are_read_by_anyone_and_set_by_the_owner(api, owner, other_owner, ipo_project):
    url = project_url(ipo_project, "/roles")
    read = api.as_(other_owner).get(url)
    assert read.status_code == 200
    assert read.json["project_manager"] is None
    assert "administrative_contact" in read.json
    assert api.as_(other_owner).put(url, json={"project_manager": other_owner.id}).status_code == (
        403
    )
    assert api.as_(owner).put(url, json=[1]).status_code == 400
    unknown = api.as_(owner).put(url, json={"captain": owner.id})
    assert unknown.status_code == 422
    assert "captain" in unknown.json["error"]["fields"]
    stale = api.as_(owner).put(url, json={}, headers={"If-Match": '"9"'})
    assert stale.status_code == 412
    put = api.as_(owner).put(
        url, json={"project_manager": other_owner.id}, headers={"If-Match": '"1"'}
    )
    assert put.status_code == 200, put.json
    assert put.json["project_manager"] == other_owner.id
    assert put.headers["ETag"] == '"2"'


def test_upload_list_download_and_refusals(api, wf, owner, other_owner, ipo_project):
    as_owner = api.as_(owner)
    created = upload(as_owner, ipo_project, PDF, "Søknad 2027.pdf", headers={"If-Match": '"1"'})
    assert created.status_code == 201, created.json
    assert created.json["version"] == 1
    assert created.json["content_type"] == "application/pdf"
    again = upload(as_owner, ipo_project, PDF + b"%2\n", "ny.pdf")
    assert again.json["version"] == 2

    listed = api.as_(other_owner).get(project_url(ipo_project, "/attachments"))
    assert [(a["version"], a["current"]) for a in listed.json["items"]] == [(2, True), (1, False)]

    got = api.as_(other_owner).get(created.headers["Location"])
    assert got.status_code == 200
    assert got.data == PDF
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''S%C3%B8knad%202027.pdf" in disposition
    assert api.as_(None).get(created.headers["Location"]).status_code == 401
    missing = project_url(ipo_project, "/attachments/999")
    assert api.as_(owner).get(missing).status_code == 404

    fake = upload(as_owner, ipo_project, b"not a pdf", "fake.pdf")
    assert fake.status_code == 422
    assert "not a valid .pdf" in fake.json["error"]["fields"]["file"]
    assert upload(as_owner, ipo_project, PDF, "a.pdf", kind="budget").status_code == 422
    assert upload(api.as_(other_owner), ipo_project, PDF, "a.pdf").status_code == 403
    no_file = as_owner.post(
        project_url(ipo_project, "/attachments"),
        data={"type": "cv"},
        content_type="multipart/form-data",
    )
    assert no_file.status_code == 400
    assert "file" in no_file.json["error"]["fields"]
    # a raw body: the test client would spool a form this big to a file it leaves open
    body = (
        b'--b\r\nContent-Disposition: form-data; name="type"\r\n\r\ncv\r\n--b\r\n'
        b'Content-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n'
        + PDF
        + b"x" * (2 << 20)
        + b"\r\n--b--\r\n"
    )
    too_big = as_owner.post(
        project_url(ipo_project, "/attachments"),
        data=body,
        content_type="multipart/form-data; boundary=b",
    )
    assert too_big.status_code == 413
    with wf.db.write() as conn:
        conn.execute(update(projects).values(status="in_review"))
    assert upload(as_owner, ipo_project, PDF, "a.pdf").status_code == 409
