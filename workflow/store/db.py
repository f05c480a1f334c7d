"""Database engines and the unit of work.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout.
pysqlite's own transaction handling is switched off, as the SQLAlchemy SQLite dialect
documentation shows, so that a unit of work that writes opens with ``BEGIN IMMEDIATE``:
its read-check-write then holds the write lock from the first read, and two gatekeepers
cannot both pass a gate. PostgreSQL locks the project row (``FOR UPDATE``) instead.

Every write runs in a :class:`UnitOfWork`: one pooled connection, one transaction, rolled
back unless committed. It offers the driver-level runner (``uow.sql``, the hot path) and
SQLAlchemy's Connection (``uow.conn``, for Core) on the same transaction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from workflow.store.audit_keys import DEVELOPMENT, Keyring, signing
from workflow.store.fastsql import RUNNER, Sql
from workflow.store.fold import SQLITE_FOLD, casefold

DEFAULT_DATABASE_URL = "sqlite:///instance/samspill.db"
BEGIN_MODE = "samspill_sqlite_begin"
#: the service's own folder (the default database, keys): created when missing, unlike any other
INSTANCE = Path("instance")


def sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names (None for another database or one in memory)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def missing_directory(url: str) -> Path | None:
    """The directory of an SQLite URL's file when it does not exist (the instance folder
    excepted), so a mistyped path is refused before anything is created."""
    path = sqlite_file(url)
    if path is None or path.parent == INSTANCE or path.parent.is_dir():
        return None
    return path.parent


def _create_private(path: Path) -> None:
    """Create the database file readable by this user only, before SQLite opens it: SQLite
    gives its -wal and -shm files the mode of the database file."""
    if path.parent == INSTANCE:
        INSTANCE.mkdir(mode=0o700, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with Samspill's settings for its dialect."""
    parsed = make_url(url)
    # JSON keeps letters as written (not \u00e6), so a search in JSON text finds "læring"
    kwargs.setdefault("json_serializer", _json_text)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        # no pre-ping: it costs a round trip per transaction; a connection the server
        # dropped fails once, is invalidated by the pool and replaced (and recycling
        # keeps idle ones from going stale behind firewalls)
        return create_engine(parsed, pool_recycle=1800, **kwargs)
    path = sqlite_file(url)
    if path is not None:
        _create_private(path)
    engine = create_engine(parsed, connect_args={"timeout": 30}, **kwargs)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None  # we send BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
        dbapi_conn.create_function(SQLITE_FOLD, 1, casefold, deterministic=True)

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(BEGIN_MODE, "")
        # straight to the driver: this runs before every transaction
        driver = conn.connection.driver_connection
        assert driver is not None
        if not driver.in_transaction:  # a unit of work has begun it already
            driver.execute("BEGIN IMMEDIATE" if mode else "BEGIN")


class UnitOfWork:
    """One write transaction on one pooled connection, rolled back unless committed.

    ``sql`` runs hand-written SQL on the driver connection; ``conn`` (made on first use)
    is SQLAlchemy's Connection on the same connection and transaction, for Core.
    """

    def __init__(self, engine: Engine, *, sqlite: bool) -> None:
        self._engine = engine
        self._raw: PoolProxiedConnection | None = engine.raw_connection()
        self._core: Connection | None = None
        self.is_sqlite = sqlite
        self.committed = False
        driver = self._raw.driver_connection
        if sqlite:
            driver.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
        runner = self._raw.info.get(RUNNER)
        if runner is None:  # one runner (and cursor) per pooled connection
            runner = self._raw.info[RUNNER] = Sql(driver, sqlite=sqlite)
        self.sql: Sql = runner

    def rows_changed(self) -> int | None:
        """Rows written so far on this connection (SQLite only; None on PostgreSQL)."""
        if not self.is_sqlite or self._raw is None:
            return None
        return int(self._raw.driver_connection.total_changes)  # type: ignore[union-attr]

    @property
    def conn(self) -> Connection:
        """SQLAlchemy's Connection on this unit's transaction (for Core statements)."""
        if self._core is None:
            assert self._raw is not None, "the unit of work has ended"
            self._core = Connection(self._engine, self._raw)
        return self._core

    def commit(self) -> None:
        """Commit the transaction and give the connection back to the pool."""
        self._end(commit=True)
        self.committed = True

    def rollback(self) -> None:
        """Roll the transaction back (if it is still open) and give the connection back."""
        self._end(commit=False)

    def _end(self, *, commit: bool) -> None:
        raw, core = self._raw, self._core
        if raw is None:
            return
        self._raw = self._core = None
        try:
            raw.commit() if commit else raw.rollback()
        finally:
            # SQLAlchemy's Connection (if made) owns the checkout: closing it ends its view
            # of the transaction (a no-op rollback now) and gives the connection back
            (core or raw).close()


class Database:
    """An engine with a unit of work for writes and one for reads.

    Each unit of work signs and verifies audit events with the database's ``audit_keys``
    (a database opened from settings has the installation's key; one made in code without
    a key, as tests and benchmarks do, has the public development key).
    """

    def __init__(self, engine: Engine, *, audit_keys: Keyring = DEVELOPMENT) -> None:
        self.engine = engine
        self.audit_keys = audit_keys
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._writer = (
            engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"}) if self.is_sqlite else engine
        )

    @classmethod
    def from_url(cls, url: str, *, audit_keys: Keyring = DEVELOPMENT, **kwargs: Any) -> Database:
        """Connect to ``url`` with Samspill's settings (the busy timeout is sqlite3's)."""
        return cls(make_engine(url, **kwargs), audit_keys=audit_keys)

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """A unit of work: rolled back when the block ends unless ``uow.commit()`` ran.

        On SQLite it starts with ``BEGIN IMMEDIATE``, taking the write lock before the
        first read, so a read-check-write in the block is atomic.
        """
        uow = UnitOfWork(self._writer, sqlite=self.is_sqlite)
        try:
            with signing(self.audit_keys):
                yield uow
        finally:
            uow.rollback()  # nothing to do after a commit

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A unit of work for Core statements, committed when the block ends without error."""
        with self.unit() as uow:
            yield uow.conn
            uow.commit()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (one consistent snapshot), rolled back when the block ends."""
        with signing(self.audit_keys), self.engine.connect() as conn:
            trans = conn.begin()
            try:
                yield conn
            finally:
                trans.rollback()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
