"""The secret that keys the audit trail, kept outside the database.

Every event's hash is an HMAC-SHA256 under the current key, so whoever can write the
database but cannot read the key cannot forge a chain that verifies. The key comes from
``SAMSPILL_AUDIT_KEY`` (required in production) or, in development, from
``instance/audit.key``, generated once with mode 0600. Old keys named in
``SAMSPILL_AUDIT_OLD_KEYS`` still verify the events they signed, so a key can be rotated
without rewriting the trail (``samspill audit rekey`` re-signs it under the current key).

A unit of work signs with the keyring of its :class:`~workflow.store.db.Database`: the
database sets it for the duration of the transaction (:func:`signing`), so every writer of
events signs with the same key without passing it around.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

MIN_KEY_LENGTH = 32
KEY_FILE = "audit.key"
#: the key of databases opened in code without configuration (tests, benchmarks); never
#: the key of an installation: ``open_workflow`` and ``samspill`` always load a real one
DEVELOPMENT_KEY = "samspill-development-audit-key-not-secret"


@dataclass(frozen=True)
class Keyring:
    """The current audit key (which signs) and the old ones that still verify."""

    current: bytes
    old: tuple[bytes, ...] = ()

    @classmethod
    def of(cls, current: str, old: tuple[str, ...] = ()) -> Keyring:
        """A keyring from key texts."""
        return cls(current.encode("utf-8"), tuple(k.encode("utf-8") for k in old))

    @property
    def keys(self) -> tuple[bytes, ...]:
        """Every key that verifies, the current one first."""
        return (self.current, *self.old)

    def sign(self, content: bytes) -> str:
        """The hex HMAC-SHA256 of ``content`` under the current key."""
        return hmac.new(self.current, content, hashlib.sha256).hexdigest()

    def signer_of(self, content: bytes, mac: str, first: bytes | None = None) -> bytes | None:
        """The key (tried ``first``, then in order) whose HMAC of ``content`` is ``mac``."""
        for key in (first, *self.keys) if first else self.keys:
            if hmac.compare_digest(hmac.new(key, content, hashlib.sha256).hexdigest(), mac):
                return key
        return None


DEVELOPMENT = Keyring.of(DEVELOPMENT_KEY)
_signing: ContextVar[Keyring | None] = ContextVar("samspill_audit_keyring", default=None)


@contextmanager
def signing(keyring: Keyring) -> Iterator[None]:
    """Sign the audit events built in this block (one unit of work) with ``keyring``."""
    token = _signing.set(keyring)
    try:
        yield
    finally:
        _signing.reset(token)


def current_keyring() -> Keyring:
    """The keyring of the unit of work that is running.

    Raises:
        RuntimeError: no unit of work is open — events are only built inside one.
    """
    keyring = _signing.get()
    if keyring is None:
        raise RuntimeError("audit events are built inside a unit of work (Database.unit or write)")
    return keyring


def load_keyring(configured: str | None, old: tuple[str, ...], instance: Path) -> Keyring:
    """The configured key, else the one in ``instance/audit.key`` (generated on first use).

    The file is created atomically with mode 0600, so two processes starting at once agree
    on one key.
    """
    if configured:
        return Keyring.of(configured, old)
    path = instance / KEY_FILE
    if not path.exists():
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        draft = instance / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(draft, path)  # fails if another process made the key first
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return Keyring.of(path.read_text(encoding="utf-8").strip(), old)
