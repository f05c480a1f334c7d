"""Alembic environment: migrates the database named by the Alembic config's URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from workflow.store.db import make_engine
from workflow.store.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations on a live connection (the one passed in, or a new engine's)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url, "workflow.store.migrate.alembic_config sets the URL"
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _include_object(
    obj: object, name: str | None, type_: str, reflected: bool, other: object
) -> bool:
    """Leave the full-text tables of migration 0008 (and FTS5's shadow tables) out of the
    comparison with the models: the database maintains them by triggers."""
    return not (type_ == "table" and reflected and (name or "").startswith("search_"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=_include_object,
    )
    # SQLite alters a table by copying it and dropping the old one, which rows of other
    # tables still refer to: foreign keys are off while the migrations run (a pragma that
    # works only outside a transaction) and checked before they are on again
    raw = connection.connection.dbapi_connection if connection.dialect.name == "sqlite" else None
    if raw is not None and not connection.in_transaction():
        raw.execute("PRAGMA foreign_keys=OFF")
    else:
        raw = None
    try:
        with context.begin_transaction():
            context.run_migrations()
            if raw is not None:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    finally:
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `samspill init`")
run_migrations_online()
