"""The project room (SPEC §4b, issue #14): its people in roles and its attachments.

``PUT /roles`` takes the whole set (``{"project_manager": user_id, …}``; a role left out or
``null`` is emptied) with the project's ``If-Match``. An upload is ``multipart/form-data``
(``type``, ``file``): the bytes are streamed into the content-addressed store (over
``SAMSPILL_MAX_UPLOAD_MB`` → 413), their type sniffed, then recorded. A download streams
the bytes back as an attachment.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, send_file, url_for

import workflow
from webapp.api import bp
from webapp.api.auth import api_actor
from webapp.api.inputs import AttachmentPath, IfMatch, ProjectPath, RolesIn, UploadIn
from webapp.api.paths import path_params
from webapp.api.present import etag, expected_version
from webapp.extensions import current_workflow
from workflow import TooLarge

#: multipart framing around the file that the request may carry beyond the file's limit
MULTIPART_SLACK = 64 * 1024


def upload_limit() -> int:
    """The largest upload in bytes (``SAMSPILL_MAX_UPLOAD_MB``)."""
    return int(current_app.config["SAMSPILL_SETTINGS"].max_upload_mb) * 1024 * 1024


def allow_upload() -> int:
    """Raise this request's body limit to the upload limit (other requests keep 1 MB)."""
    limit = upload_limit()
    if (request.content_length or 0) > limit + MULTIPART_SLACK:
        raise TooLarge(limit // (1024 * 1024))  # said before a byte of the body is read
    return limit  # the body's limit was raised before the guards read the form


def attachment_document(row: dict[str, Any], project_id: int) -> dict[str, Any]:
    """An attachment as the API shows it."""
    keys = ("id", "type", "version", "filename", "content_type", "size", "sha256", "current")
    return {
        **{k: row.get(k) for k in keys},
        "uploaded_by": row["uploaded_by"],
        "uploaded_at": row["uploaded_at"].isoformat() if row["uploaded_at"] else None,
        "url": url_for("api.get_attachment", project_id=project_id, attachment_id=row["id"]),
    }


def _roles(project_id: int) -> tuple[dict[str, Any], int]:
    wf = current_workflow()
    view = workflow.get_project(wf, project_id)
    spec = wf.catalog.of(view.project)
    filled = workflow.project_roles_of(wf, project_id)
    document = {
        r.key: (filled[r.key]["id"] if r.key in filled else None) for r in spec.project_roles
    }
    return document, int(view.project["version"])


@bp.get("/projects/<project_id>/roles")  # type: ignore[untyped-decorator]
@bp.doc(operation_id="getRoles")
@path_params(ProjectPath)
def get_roles(project_id: int) -> Any:
    """The project's roles

    Each of the definition's ``project_roles`` with the id of the user in it, or null.
    """
    api_actor()
    document, version = _roles(project_id)
    return document, 200, etag(version)


@bp.put("/projects/<project_id>/roles")  # type: ignore[untyped-decorator]
@bp.input(RolesIn, arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.doc(
    operation_id="setRoles",
    responses={
        400: "Not a JSON object of role → user id or null",
        403: "Not the project's owner",
        409: "The project is in review, on hold or killed",
        412: "If-Match names an older version of the project",
        422: "An unknown role or user",
    },
)
@path_params(ProjectPath)
def set_roles(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Name the users in the project's roles

    The whole set: ``{"project_manager": 12, "administrative_contact": null}``.
    """
    version = expected_version(None, headers.get("if_match"))
    workflow.set_roles(current_workflow(), api_actor(), project_id, body, expected_version=version)
    document, new_version = _roles(project_id)
    return document, 200, etag(new_version)


@bp.get("/projects/<project_id>/attachments")  # type: ignore[untyped-decorator]
@bp.doc(operation_id="listAttachments")
@path_params(ProjectPath)
def list_attachments(project_id: int) -> Any:
    """List a project's attachments

    Every version of each type, newest first; ``current`` marks the newest of its type.
    """
    api_actor()
    wf = current_workflow()
    view = workflow.get_project(wf, project_id)
    items = [attachment_document(r, project_id) for r in workflow.list_attachments(wf, project_id)]
    return {"items": items, "total": len(items)}, 200, etag(int(view.project["version"]))


@bp.post("/projects/<project_id>/attachments")  # type: ignore[untyped-decorator]
@bp.input(UploadIn, location="form_and_files", arg_name="body")
@bp.input(IfMatch, location="headers", arg_name="headers")
@bp.doc(
    operation_id="uploadAttachment",
    responses={
        400: "No type or no file",
        422: "An unknown attachment type, a type of file not accepted, or bytes not of its type",
        403: "Neither the owner nor the project manager",
        409: "The project is in review, on hold, killed or completed",
        412: "If-Match names an older version of the project",
        413: "Larger than SAMSPILL_MAX_UPLOAD_MB",
    },
)
@path_params(ProjectPath)
def upload_attachment(project_id: int, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """Upload an attachment

    ``multipart/form-data`` with ``type`` (one of the definition's ``attachment_types``)
    and ``file``. A new upload of a type is its next version; the old one is kept.
    """
    actor = api_actor()
    limit = allow_upload()
    version = expected_version(None, headers.get("if_match"))
    file, kind = body["file"], body["type"]
    wf = current_workflow()
    try:
        attachment_id = workflow.upload_attachment(
            wf,
            actor,
            project_id,
            type=kind,
            stream=file.stream,
            filename=file.filename or "",
            store=current_app.config["SAMSPILL_SETTINGS"].file_store(),
            limit=limit,
            expected_version=version,
        )
    finally:
        file.close()  # the request's temporary file, at once
    (row,) = (r for r in workflow.list_attachments(wf, project_id) if r["id"] == attachment_id)
    view = workflow.get_project(wf, project_id)
    location = url_for("api.get_attachment", project_id=project_id, attachment_id=attachment_id)
    return (
        attachment_document(row, project_id),
        201,
        {**etag(int(view.project["version"])), "Location": location},
    )


@bp.get("/projects/<project_id>/attachments/<attachment_id>")  # type: ignore[untyped-decorator]
@bp.doc(operation_id="getAttachment")
@path_params(AttachmentPath)
def get_attachment(project_id: int, attachment_id: int) -> Any:
    """Download an attachment

    The bytes, streamed, as ``Content-Disposition: attachment``.
    """
    api_actor()
    return attachment_response(project_id, attachment_id)


def attachment_response(project_id: int, attachment_id: int) -> Any:
    """The attachment's bytes streamed in chunks as a download (RFC 5987 names, nosniff)."""
    wf = current_workflow()
    workflow.get_project(wf, project_id)  # 404 for a project that is not there
    store = current_app.config["SAMSPILL_SETTINGS"].file_store()
    row, stream = workflow.attachment_file(wf, store, project_id, attachment_id)
    response = send_file(
        stream,
        mimetype=row["content_type"],
        as_attachment=True,
        download_name=row["filename"],
        conditional=False,
        etag=row["sha256"],
    )
    response.content_length = row["size"]
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
