"""Content-addressed file storage (``SAMSPILL_UPLOADS``): a local folder or any fsspec URL.

A file is stored once under the SHA-256 of its bytes (``ab/cdef…``), so the same upload twice
costs one copy and a stored file never changes. Bytes are streamed in chunks, never held
whole in memory. In a local folder only the service's user can read what is stored: folders
are created 0700 and files 0600, whatever the process's umask (SPEC §7).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO

CHUNK = 1 << 16
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its SHA-256 (hex) and its size in bytes."""

    digest: str
    size: int


class FileStore:
    """Files by their SHA-256 under one root (a path or an fsspec URL such as ``s3://b/p``)."""

    def __init__(self, url: str) -> None:
        import fsspec  # ~0.1 s of imports that only commands storing files need
        from fsspec.implementations.local import LocalFileSystem

        self.fs, self.root = fsspec.core.url_to_fs(url)
        self.local = isinstance(self.fs, LocalFileSystem)

    def path(self, digest: str) -> str:
        """Where the file with ``digest`` lives."""
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError("not a SHA-256 digest")
        return f"{self.root}/{digest[:2]}/{digest[2:]}"

    def put(self, stream: BinaryIO) -> StoredFile:
        """Store what ``stream`` holds, read in chunks; the same bytes twice are one file."""
        self._makedirs(f"{self.root}/tmp")
        temporary = f"{self.root}/tmp/{uuid.uuid4().hex}"
        sha, size = hashlib.sha256(), 0
        try:
            with self._create(temporary) as out:
                while chunk := stream.read(CHUNK):
                    sha.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            digest = sha.hexdigest()
            target = self.path(digest)
            if self.fs.exists(target):
                self.fs.rm(temporary)
                self._touch(target)  # fresh again: the orphan sweep leaves it to be recorded
            else:
                self._makedirs(target.rpartition("/")[0])
                self.fs.mv(temporary, target)
        except BaseException:
            if self.fs.exists(temporary):
                self.fs.rm(temporary)
            raise
        return StoredFile(digest, size)

    def open(self, digest: str) -> BinaryIO:
        """The stored bytes, for reading in chunks."""
        return self.fs.open(self.path(digest), "rb")  # type: ignore[no-any-return]

    def exists(self, digest: str) -> bool:
        """Whether a file with ``digest`` is stored."""
        return bool(self.fs.exists(self.path(digest)))

    def remove_if_before(self, digest: str, cutoff: datetime) -> bool:
        """Delete the file with ``digest`` if it was last written before ``cutoff`` (an
        upload of the same bytes meanwhile made it new). Returns whether it was deleted."""
        path = self.path(digest)
        try:
            if _modified(self.fs.info(path)) >= cutoff:
                return False
            self.fs.rm(path)
        except FileNotFoundError:
            return False
        return True

    def stored_before(self, cutoff: datetime) -> Iterator[list[str]]:
        """The digests of the files last written before ``cutoff``, one folder at a time
        (at most 256 folders, so no listing holds the whole store); unfinished temporary
        files older than ``cutoff`` are deleted on the way."""
        if not self.fs.exists(self.root):
            return
        for entry in self.fs.ls(self.root, detail=True):
            name = entry["name"].rstrip("/").rpartition("/")[2]
            if entry["type"] != "directory":
                continue
            older = [
                f["name"].rstrip("/").rpartition("/")[2]
                for f in self.fs.ls(entry["name"], detail=True)
                if f["type"] == "file" and _modified(f) < cutoff
            ]
            if name == "tmp":
                for temporary in older:
                    self.fs.rm(f"{entry['name']}/{temporary}")
            elif len(name) == 2 and older:
                yield [name + rest for rest in older if len(name + rest) == 64]

    def _touch(self, path: str) -> None:
        if self.local:
            os.utime(path)
            return
        with contextlib.suppress(NotImplementedError, ValueError):  # a day's grace suffices
            self.fs.touch(path, truncate=False)

    def _makedirs(self, path: str) -> None:
        if not self.local:
            self.fs.makedirs(path, exist_ok=True)
            return
        missing = []
        while not os.path.isdir(path):
            missing.append(path)
            path = os.path.dirname(path)
        for folder in reversed(missing):
            try:
                os.mkdir(folder, PRIVATE_DIR)
            except FileExistsError:
                continue
            os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is masked by the umask

    def _create(self, path: str) -> BinaryIO:
        if not self.local:
            return self.fs.open(path, "wb")  # type: ignore[no-any-return]
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        os.fchmod(descriptor, PRIVATE_FILE)
        return os.fdopen(descriptor, "wb")


def _modified(info: dict[str, Any]) -> datetime:
    """When a listed file was last written (local ``mtime`` or an object store's
    ``LastModified``/``mtime``/``last_modified``), in UTC."""
    for key in ("mtime", "LastModified", "last_modified", "updated", "created"):
        value = info.get(key)
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.max.replace(tzinfo=UTC)  # unknown: never old enough to remove
