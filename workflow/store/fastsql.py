"""Hand-written SQL on the driver connection, for the write hot path.

Building a Core statement costs more than the database spends on it (SPEC B1 measures a
decision against a raw ``sqlite3`` loop), so the write pipeline runs fixed SQL strings on
the DBAPI cursor inside the SQLAlchemy transaction. Values are adapted the way the models'
column types store them, so Core and the ORM read these rows back unchanged: on SQLite
datetimes as naive UTC text and JSON as text; on PostgreSQL as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

_PARAM = re.compile(r"%\((\w+)\)s")
#: where a pooled connection keeps its runner (``info`` lives as long as the connection)
RUNNER = "samspill_sql"


@lru_cache(maxsize=256)
def _for_sqlite(sql: str) -> str:
    return _PARAM.sub(r":\1", sql)


@lru_cache(maxsize=64)
def _sqlite_time(value: datetime) -> str:
    """How SQLAlchemy's SQLite DateTime stores a UTC instant: naive, with microseconds."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class Sql:
    """Run pyformat SQL (``%(name)s`` parameters) on a connection's driver cursor."""

    def __init__(self, dbapi: Any, *, sqlite: bool) -> None:
        self.sqlite = sqlite
        self._cursor = dbapi.cursor()

    @classmethod
    def of(cls, conn: Connection | Sql) -> Sql:
        """The runner on the driver connection under ``conn`` (one per pooled connection)."""
        if isinstance(conn, Sql):
            return conn
        runner = conn.info.get(RUNNER)
        if runner is None:
            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None
            runner = conn.info[RUNNER] = cls(dbapi, sqlite=conn.dialect.name == "sqlite")
        return runner

    def value(self, value: Any) -> Any:
        """``value`` as this runner sends it to the driver (JSON text, SQLite time text)."""
        kind = type(value)
        if kind is dict or kind is list:
            return json.dumps(value)
        if kind is datetime and self.sqlite:
            return _sqlite_time(value)
        return value

    def _adapt(self, params: Mapping[str, Any]) -> Mapping[str, Any]:
        adapted: dict[str, Any] | None = None
        sqlite = self.sqlite
        for key, value in params.items():
            kind = type(value)
            if kind is dict or kind is list:
                value = json.dumps(value)
            elif kind is datetime and sqlite:
                value = _sqlite_time(value)
            else:
                continue
            if adapted is None:
                adapted = dict(params)
            adapted[key] = value
        return params if adapted is None else adapted

    def execute(self, sql: str, params: Mapping[str, Any]) -> int:
        """Run one statement; return how many rows it changed."""
        self._cursor.execute(_for_sqlite(sql) if self.sqlite else sql, self._adapt(params))
        return int(self._cursor.rowcount)

    def many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> int:
        """Run one statement for each row of parameters; return the rows changed in all."""
        self._cursor.executemany(
            _for_sqlite(sql) if self.sqlite else sql, [self._adapt(r) for r in rows]
        )
        return int(self._cursor.rowcount)

    def one(
        self,
        sql: str,
        params: Mapping[str, Any],
        *,
        json_columns: Sequence[str] = (),
        time_columns: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        """Run a query and return its first row as a dict (None if there is none)."""
        self.execute(sql, params)
        row = self._cursor.fetchone()
        if row is None:
            return None
        names = [d[0] for d in self._cursor.description]
        return self._decode(dict(zip(names, row, strict=True)), json_columns, time_columns)

    def all(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run a query and return its rows as tuples."""
        self.execute(sql, params)
        return [tuple(r) for r in self._cursor.fetchall()]

    def scalar(self, sql: str, params: Mapping[str, Any]) -> Any:
        """Run a query and return the first column of its first row."""
        self.execute(sql, params)
        row = self._cursor.fetchone()
        return None if row is None else row[0]

    def _decode(
        self, row: dict[str, Any], json_columns: Sequence[str], time_columns: Sequence[str]
    ) -> dict[str, Any]:
        for name in json_columns:
            if isinstance(row[name], str):
                row[name] = json.loads(row[name])
        for name in time_columns:
            value = row[name]
            if isinstance(value, str):
                row[name] = datetime.fromisoformat(value).replace(tzinfo=UTC)
        return row
