"""Database engines and the unit of work.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout.
pysqlite's own transaction handling is switched off, as the SQLAlchemy SQLite dialect
documentation shows, so that a unit of work that writes opens with ``BEGIN IMMEDIATE``:
its read-check-write then holds the write lock from the first read, and two gatekeepers
cannot both pass a gate. PostgreSQL locks the project row (``FOR UPDATE``) instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from workflow.store.audit_keys import DEVELOPMENT, Keyring, signing
from workflow.store.fastsql import Sql

DEFAULT_DATABASE_URL = "sqlite:///instance/samspill.db"
BEGIN_MODE = "samspill_sqlite_begin"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with Samspill's settings for its dialect."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        # no pre-ping: it costs a round trip per transaction; a connection the server
        # dropped fails once, is invalidated by the pool and replaced (and recycling
        # keeps idle ones from going stale behind firewalls)
        return create_engine(parsed, pool_recycle=1800, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
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

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(BEGIN_MODE, "")
        # straight to the driver: this runs before every transaction
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute("BEGIN IMMEDIATE" if mode else "BEGIN")


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
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises.

        On SQLite it starts with ``BEGIN IMMEDIATE``, taking the write lock before the
        first read, so a read-check-write in the block is atomic.
        """
        with signing(self.audit_keys), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def write_sql(self) -> Iterator[Sql]:
        """A write transaction straight on a pooled driver connection, for the hot path.

        The same transaction as :meth:`write` (``BEGIN IMMEDIATE`` on SQLite, committed
        when the block ends, rolled back if it raises) without SQLAlchemy's connection,
        transaction and event machinery around each decision.
        """
        raw = self.engine.raw_connection()
        try:
            if self.is_sqlite:
                raw.driver_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
            with signing(self.audit_keys):
                yield Sql(raw.driver_connection, sqlite=self.is_sqlite)
            raw.commit()
        except BaseException:
            raw.rollback()
            raise
        finally:
            raw.close()  # back to the pool

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
