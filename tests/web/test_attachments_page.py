"""The project page's attachments section (issue #14): upload, list, download, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import workflow
from webapp.app import create_app

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app(wf, tmp_path: Path):
    settings = workflow.Settings(uploads=str(tmp_path / "uploads"), max_upload_mb=1)
    return create_app({"TESTING": True}, settings=settings, wf=wf)


def test_the_owner_uploads_and_anyone_downloads_and_a_fake_pdf_is_refused(
    login, wf, owner, other_owner
):
    pid = workflow.create_project(wf, owner, definition="ipo", title="Velferdsteknologi")
    me = login(owner)
    page = me.get(f"/projects/{pid}")
    assert 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    sent = me.post(
        f"/projects/{pid}/attachments",
        data={"version": "1", "type": "cv", "file": (io.BytesIO(PDF), "cv.pdf")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    html = me.get(f"/projects/{pid}").get_data(as_text=True)
    assert "cv.pdf" in html
    (row,) = workflow.list_attachments(wf, pid)
    got = login(other_owner).get(f"/projects/{pid}/attachments/{row['id']}")
    assert got.status_code == 200
    assert got.data == PDF
    assert got.headers["Content-Disposition"].startswith("attachment;")
    # the other owner sees no upload form and may not upload
    assert 'enctype="multipart/form-data"' not in login(other_owner).get(
        f"/projects/{pid}"
    ).get_data(as_text=True)

    fake = me.post(
        f"/projects/{pid}/attachments",
        data={"version": "2", "type": "cv", "file": (io.BytesIO(b"not a pdf"), "x.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Innholdet i filen er ikke en gyldig .pdf-fil." in fake.get_data(as_text=True)
