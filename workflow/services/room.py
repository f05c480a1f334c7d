"""The project room (issue #14): people in the definition's project roles, and typed,
versioned attachments (SPEC §2b, §4b).

Roles: the owner names a user for each of the definition's ``project_roles`` (a PUT of the
whole set). The owner and the project manager edit the project (:func:`may_edit`).

Attachments: the bytes go to the content-addressed :class:`~workflow.store.files.FileStore`
first, streamed in chunks and size-limited (:func:`store_upload`), OUTSIDE any database
transaction; then :func:`add_attachment` records the row through the write pipeline. A
refused or failed record leaves at worst an orphan blob in the store (harmless: it is
content-addressed and never served without a row).
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import Connection, delete, func, insert, select

from workflow.domain.lifecycle import ACTIVE, COMPLETED
from workflow.domain.text import one_line
from workflow.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
    TooLarge,
    TransitionNotAllowed,
)
from workflow.jobs.mail.texts import render
from workflow.runtime import Actor, Workflow
from workflow.services.accounts import is_email
from workflow.store import pipeline
from workflow.store.files import CHUNK, FileStore, StoredFile
from workflow.store.pipeline import Mail
from workflow.store.tables import attachments, project_roles, users

#: the role whose user edits the project beside its owner
CO_EDITOR_ROLE = "project_manager"
#: the roles report reminders go to beside the owner
REPORT_ROLES = ("project_manager", "administrative_contact")
#: project statuses the roles may change in
ROLE_STATUSES = (ACTIVE, COMPLETED)
#: accepted file types: extension → content type
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
}
MAX_FILENAME = 200
SNIFF_BYTES = 8192


# --- roles ---------------------------------------------------------------------------------


def roles_of(conn: Connection, project_id: int) -> dict[str, dict[str, Any]]:
    """The filled roles of a project: role key → ``{"id", "name", "email"}`` of its user."""
    rows = conn.execute(
        select(project_roles.c.role, users.c.id, users.c.name, users.c.email)
        .join(users, users.c.id == project_roles.c.user_id)
        .where(project_roles.c.project_id == project_id)
        .order_by(project_roles.c.role)
    ).all()
    return {r.role: {"id": r.id, "name": r.name, "email": r.email} for r in rows}


def may_edit(conn: Connection, row: Mapping[str, Any], actor_id: int) -> bool:
    """Whether ``actor_id`` edits the project: its owner or its project manager."""
    if row["owner_id"] == actor_id:
        return True
    found = conn.execute(
        select(project_roles.c.id).where(
            project_roles.c.project_id == row["id"],
            project_roles.c.role == CO_EDITOR_ROLE,
            project_roles.c.user_id == actor_id,
        )
    ).first()
    return found is not None


def require_editor(conn: Connection, row: Mapping[str, Any], actor_id: int) -> None:
    """Raise PermissionDenied unless the actor is the owner or the project manager."""
    if not may_edit(conn, row, actor_id):
        raise PermissionDenied("not_owner", project=row["id"])  # the same refusal as before


def set_roles(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    roles: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> int:
    """Name the users in the project's roles (the whole set: a role left out or ``None``
    is emptied), each by user id or by the email address of an active user; each user
    given a role is told by mail. Returns the project's new version.

    Raises:
        PermissionDenied: the actor is not the owner.
        InvalidInput: a role the definition does not declare, no such user, or no active
            user with that address.
        TransitionNotAllowed: the project is in review, on hold or killed.
    """
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        pipeline.require_owner(ch.row, actor.id)
        if ch.row["status"] not in ROLE_STATUSES:
            raise TransitionNotAllowed(
                "part_frozen", part="roles", status=ch.row["status"], project=project_id
            )
        declared = [r.key for r in ch.spec.project_roles]
        errors: dict[str, Problem] = {}
        wanted: dict[str, int] = {}
        by_email: dict[str, str] = {}
        for key, user in roles.items():
            if key not in declared:
                errors[key] = Problem("not_one_of", {"choices": declared})
            elif user is None or user == "":
                continue
            elif isinstance(user, str):
                if is_email(user.strip()):
                    by_email[key] = user.strip().lower()
                else:
                    errors[key] = Problem("not_email")
            elif isinstance(user, bool) or not isinstance(user, int):
                errors[key] = Problem("not_user_id")
            else:
                wanted[key] = user
        if by_email:
            ids: dict[str, int] = dict(
                ch.conn.execute(
                    select(func.lower(users.c.email), users.c.id).where(
                        func.lower(users.c.email).in_(set(by_email.values())),
                        users.c.is_active.is_(True),
                    )
                ).all()
            )
            for key, email in by_email.items():
                if email in ids:
                    wanted[key] = ids[email]
                else:
                    errors[key] = Problem("no_user_with_email", {"email": email})
        if wanted:
            known: set[int] = set(
                ch.conn.execute(select(users.c.id).where(users.c.id.in_(set(wanted.values()))))
                .scalars()
                .all()
            )
            for key, user in wanted.items():
                if user not in known:
                    errors[key] = Problem("no_such_user", {"user": user})
        if errors:
            raise InvalidInput(errors)
        before = {k: v["id"] for k, v in roles_of(ch.conn, project_id).items()}
        if before == wanted:
            return ch.version
        ch.conn.execute(delete(project_roles).where(project_roles.c.project_id == project_id))
        if wanted:
            ch.conn.execute(
                insert(project_roles),
                [{"project_id": project_id, "role": k, "user_id": u} for k, u in wanted.items()],
            )
        ch.record("roles_set", {"roles": wanted, "before": before})
        _tell_new_holders(wf, ch, actor, {k: u for k, u in wanted.items() if before.get(k) != u})
    return ch.version


def _tell_new_holders(
    wf: Workflow, ch: pipeline.ProjectChange, actor: Actor, given: Mapping[str, int]
) -> None:
    """Queue a mail to each user given a role by this change (not to the actor)."""
    others = {k: u for k, u in given.items() if u != actor.id}
    if not others:
        return
    people = {
        r.id: r
        for r in ch.conn.execute(
            select(users.c.id, users.c.email, users.c.language).where(
                users.c.id.in_(set(others.values()))
            )
        )
    }
    labels = {r.key: r.label for r in ch.spec.project_roles}
    for key, user_id in others.items():
        person = people[user_id]
        lang = person.language if person.language in ("nb", "en") else "nb"
        subject, text = render(
            "role_assigned",
            lang,
            url=wf.project_url(ch.row["id"]),
            role_lower=getattr(labels[key], lang).lower(),
            by=one_line(actor.name),
            title=one_line(ch.row["title"]),
        )
        ch.mail(Mail(user_id, person.email, lang, one_line(subject), text, ch.row["id"]))


# --- attachments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file stored in the FileStore, not yet recorded: its digest, size and sniffed type."""

    stored: StoredFile
    filename: str
    content_type: str


class _Limited:
    """A stream that raises :class:`TooLarge` once more than ``limit`` bytes were read."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self.stream, self.limit, self.read_so_far = stream, limit, 0

    def read(self, size: int = CHUNK) -> bytes:
        chunk = self.stream.read(size)
        self.read_so_far += len(chunk)
        if self.read_so_far > self.limit:
            raise TooLarge(self.limit // (1 << 20))
        return chunk


def safe_filename(name: str) -> str:
    """The file's own name without folders or control characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())
    return base.strip().strip(".")[-MAX_FILENAME:] or ""


def sniff(head: bytes, store: FileStore, digest: str) -> str | None:
    """The content type the bytes show (``head``: their start), or None when not allowed."""
    import filetype  # small pure-Python magic numbers (untyped: see the mypy overrides)

    kind = filetype.guess(head)
    mime: str | None = kind.mime if kind is not None else None
    if mime in ("application/pdf", "image/png", "image/jpeg"):
        return mime
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(store, digest)
    if mime is None and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:  # a cut multibyte character at the end is fine
            if error.start < len(head) - 3:
                return None
        return "text/plain"
    return None


def _zip_type(store: FileStore, digest: str) -> str | None:
    """DOCX, XLSX or ODT by what the zip holds (its parts, ODF's ``mimetype``)."""
    try:
        with store.open(digest) as f, zipfile.ZipFile(f) as z:
            names = set(z.namelist())
            if "mimetype" in names:
                declared = z.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared == ALLOWED["odt"] else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return ALLOWED["docx"]
                if "xl/workbook.xml" in names:
                    return ALLOWED["xlsx"]
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def store_upload(store: FileStore, stream: BinaryIO, filename: str, limit: int) -> Upload:
    """Store ``stream`` (at most ``limit`` bytes, read in chunks) and check its type.

    Runs outside any database transaction; the caller records it with :func:`add_attachment`.

    Raises:
        TooLarge: more than ``limit`` bytes.
        InvalidInput: no file name, an extension not allowed, or bytes that are not of the
            type the extension names (``file``).
    """
    name = safe_filename(filename)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if not name:
        raise InvalidInput({"file": Problem("required")})
    if extension not in ALLOWED:
        raise InvalidInput({"file": Problem("file_type_not_allowed", {"choices": sorted(ALLOWED)})})
    stored = store.put(_Limited(stream, limit))  # type: ignore[arg-type]
    if stored.size == 0:
        raise InvalidInput({"file": Problem("file_empty")})
    with store.open(stored.digest) as f:
        head = f.read(SNIFF_BYTES)
    found = sniff(head, store, stored.digest)
    if found != ALLOWED[extension]:
        raise InvalidInput({"file": Problem("file_content_mismatch", {"extension": extension})})
    return Upload(stored, name, found)


def add_attachment(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    type: str,
    upload: Upload,
    expected_version: int | None = None,
) -> int:
    """Record a stored upload as the next version of the project's ``type`` document.
    Returns the attachment's id.

    Raises:
        PermissionDenied: the actor is neither the owner nor the project manager.
        InvalidInput: a type the definition does not declare.
        TransitionNotAllowed: the project is not active (in review, on hold, killed,
            completed).
    """
    with pipeline.change(wf, actor, project_id, expected_version) as ch:
        require_editor(ch.conn, ch.row, actor.id)
        if ch.row["status"] != ACTIVE:
            raise TransitionNotAllowed(
                "part_frozen", part="attachments", status=ch.row["status"], project=project_id
            )
        declared = [t.key for t in ch.spec.attachment_types]
        if type not in declared:
            raise InvalidInput({"type": Problem("not_one_of", {"choices": declared})})
        version = 1 + (
            ch.conn.execute(
                select(func.coalesce(func.max(attachments.c.version), 0)).where(
                    attachments.c.project_id == project_id, attachments.c.type == type
                )
            ).scalar_one()
        )
        attachment_id: int = ch.conn.execute(
            insert(attachments)
            .values(
                project_id=project_id,
                type=type,
                version=version,
                filename=upload.filename,
                content_type=upload.content_type,
                size=upload.stored.size,
                sha256=upload.stored.digest,
                uploaded_by=actor.id,
                uploaded_at=ch.now,
            )
            .returning(attachments.c.id)
        ).scalar_one()
        ch.record(
            "attachment_added",
            {
                "attachment_id": attachment_id,
                "type": type,
                "version": version,
                "filename": upload.filename,
                "sha256": upload.stored.digest,
                "size": upload.stored.size,
            },
        )
    return int(attachment_id)


def project_attachments(conn: Connection, project_id: int) -> list[dict[str, Any]]:
    """Every version of every attachment of a project: by type, newest version first, each
    marked ``current`` (the newest of its type) with its uploader's name."""
    rows = conn.execute(
        select(attachments, users.c.name.label("uploaded_by_name"))
        .join(users, users.c.id == attachments.c.uploaded_by)
        .where(attachments.c.project_id == project_id)
        .order_by(attachments.c.type, attachments.c.version.desc())
    ).mappings()
    found, seen = [], set()
    for row in rows:
        item = dict(row)
        item["current"] = row["type"] not in seen
        seen.add(row["type"])
        found.append(item)
    return found


def attachment_of(conn: Connection, project_id: int, attachment_id: int) -> dict[str, Any]:
    """One attachment row of a project; NotFound if it has none with that id."""
    row = (
        conn.execute(
            select(attachments).where(
                attachments.c.project_id == project_id, attachments.c.id == attachment_id
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("no_attachment", project=project_id, attachment=attachment_id)
    return dict(row)


# --- what the web layer calls ------------------------------------------------------------


def project_roles_of(wf: Workflow, project_id: int) -> dict[str, dict[str, Any]]:
    """The filled roles of a project (role key → its user's id, name and email)."""
    with wf.db.read() as conn:
        return roles_of(conn, project_id)


def may_edit_project(wf: Workflow, project: Mapping[str, Any], actor_id: int) -> bool:
    """Whether the user edits the project (its owner or its project manager)."""
    if project["owner_id"] == actor_id:
        return True
    with wf.db.read() as conn:
        return may_edit(conn, project, actor_id)


def list_attachments(wf: Workflow, project_id: int) -> list[dict[str, Any]]:
    """Every version of every attachment of a project (see :func:`project_attachments`)."""
    with wf.db.read() as conn:
        return project_attachments(conn, project_id)


def upload_attachment(
    wf: Workflow,
    actor: Actor,
    project_id: int,
    *,
    type: str,
    stream: BinaryIO,
    filename: str,
    store: FileStore,
    limit: int,
    expected_version: int | None = None,
) -> int:
    """Store ``stream`` in ``store`` (chunked, at most ``limit`` bytes, its type sniffed),
    then record it as the next version of the project's ``type`` document; the file I/O is
    outside the write transaction. Returns the attachment's id."""
    upload = store_upload(store, stream, filename, limit)
    return add_attachment(
        wf, actor, project_id, type=type, upload=upload, expected_version=expected_version
    )


def attachment_file(
    wf: Workflow, store: FileStore, project_id: int, attachment_id: int
) -> tuple[dict[str, Any], BinaryIO]:
    """An attachment's row and its bytes, opened for reading in chunks (close it)."""
    with wf.db.read() as conn:
        row = attachment_of(conn, project_id, attachment_id)
    return row, store.open(row["sha256"])
