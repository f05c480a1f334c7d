"""lessons learned and full-text search over projects and lessons, kept in sync by the
database itself (triggers): the decision hot path writes projects with raw SQL, so no
application hook could keep an index current.

SQLite: FTS5 tables ``search_projects`` and ``search_lessons`` (tokenizer ``unicode61
remove_diacritics 0``: every letter folds case, æ/ø/å stay themselves), the rowid being the
project's id. PostgreSQL: tables of the same names holding a ``tsvector`` (configuration
``norwegian``) under a GIN index. Both are backfilled from the rows already there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 11:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# --- SQLite -------------------------------------------------------------------------------
_SQLITE_PROJECT_BODY = (
    "{r}.summary || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each({r}.fields)"
    " WHERE type = 'text'), '')"
)
_SQLITE_LESSON_BODY = (
    "{r}.worked || ' ' || {r}.did_not_work || ' ' || {r}.advice || ' ' ||"
    " coalesce((SELECT group_concat(value, ' ') FROM json_each({r}.tags)), '')"
)
_SQLITE = [
    "CREATE VIRTUAL TABLE search_projects USING fts5(title, body,"
    " tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE search_lessons USING fts5(body,"
    " tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_projects_ai AFTER INSERT ON projects BEGIN"
    " INSERT INTO search_projects (rowid, title, body) VALUES (NEW.id, NEW.title, "
    + _SQLITE_PROJECT_BODY.format(r="NEW") + "); END",
    "CREATE TRIGGER search_projects_au AFTER UPDATE OF title, summary, fields ON projects BEGIN"
    " DELETE FROM search_projects WHERE rowid = OLD.id;"
    " INSERT INTO search_projects (rowid, title, body) VALUES (NEW.id, NEW.title, "
    + _SQLITE_PROJECT_BODY.format(r="NEW") + "); END",
    "CREATE TRIGGER search_projects_ad AFTER DELETE ON projects BEGIN"
    " DELETE FROM search_projects WHERE rowid = OLD.id; END",
    "CREATE TRIGGER search_lessons_ai AFTER INSERT ON lessons BEGIN"
    " INSERT INTO search_lessons (rowid, body) VALUES (NEW.project_id, "
    + _SQLITE_LESSON_BODY.format(r="NEW") + "); END",
    "CREATE TRIGGER search_lessons_au AFTER UPDATE ON lessons BEGIN"
    " DELETE FROM search_lessons WHERE rowid = OLD.project_id;"
    " INSERT INTO search_lessons (rowid, body) VALUES (NEW.project_id, "
    + _SQLITE_LESSON_BODY.format(r="NEW") + "); END",
    "CREATE TRIGGER search_lessons_ad AFTER DELETE ON lessons BEGIN"
    " DELETE FROM search_lessons WHERE rowid = OLD.project_id; END",
    "INSERT INTO search_projects (rowid, title, body) SELECT p.id, p.title, "
    + _SQLITE_PROJECT_BODY.format(r="p") + " FROM projects p",
]
_SQLITE_DOWN = [
    "DROP TRIGGER search_lessons_ad",
    "DROP TRIGGER search_lessons_au",
    "DROP TRIGGER search_lessons_ai",
    "DROP TRIGGER search_projects_ad",
    "DROP TRIGGER search_projects_au",
    "DROP TRIGGER search_projects_ai",
    "DROP TABLE search_lessons",
    "DROP TABLE search_projects",
]

# --- PostgreSQL ---------------------------------------------------------------------------
_PG_PROJECT_TSV = (
    "setweight(to_tsvector('norwegian', {r}.title), 'A') ||"
    " setweight(to_tsvector('norwegian', {r}.summary || ' ' || coalesce((SELECT"
    " string_agg(value, ' ') FROM json_each_text({r}.fields)), '')), 'B')"
)
_PG_LESSON_TSV = (
    "to_tsvector('norwegian', {r}.worked || ' ' || {r}.did_not_work || ' ' || {r}.advice"
    " || ' ' || coalesce((SELECT string_agg(value, ' ') FROM json_array_elements_text({r}.tags)),"
    " ''))"
)
_PG = [
    "CREATE TABLE search_projects (project_id integer PRIMARY KEY REFERENCES projects (id)"
    " ON DELETE CASCADE, tsv tsvector NOT NULL)",
    "CREATE INDEX ix_search_projects_tsv ON search_projects USING gin (tsv)",
    "CREATE TABLE search_lessons (project_id integer PRIMARY KEY REFERENCES projects (id)"
    " ON DELETE CASCADE, tsv tsvector NOT NULL)",
    "CREATE INDEX ix_search_lessons_tsv ON search_lessons USING gin (tsv)",
    "CREATE OR REPLACE FUNCTION search_projects_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " INSERT INTO search_projects (project_id, tsv) VALUES (NEW.id, "
    + _PG_PROJECT_TSV.format(r="NEW")
    + ") ON CONFLICT (project_id) DO UPDATE SET tsv = EXCLUDED.tsv; RETURN NULL; END $$",
    "CREATE TRIGGER search_projects_sync AFTER INSERT OR UPDATE OF title, summary, fields"
    " ON projects FOR EACH ROW EXECUTE FUNCTION search_projects_sync()",
    "CREATE OR REPLACE FUNCTION search_lessons_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " INSERT INTO search_lessons (project_id, tsv) VALUES (NEW.project_id, "
    + _PG_LESSON_TSV.format(r="NEW")
    + ") ON CONFLICT (project_id) DO UPDATE SET tsv = EXCLUDED.tsv; RETURN NULL; END $$",
    "CREATE TRIGGER search_lessons_sync AFTER INSERT OR UPDATE ON lessons"
    " FOR EACH ROW EXECUTE FUNCTION search_lessons_sync()",
    "INSERT INTO search_projects (project_id, tsv) SELECT p.id, "
    + _PG_PROJECT_TSV.format(r="p") + " FROM projects p",
]
_PG_DOWN = [
    "DROP TRIGGER search_lessons_sync ON lessons",
    "DROP FUNCTION search_lessons_sync()",
    "DROP TRIGGER search_projects_sync ON projects",
    "DROP FUNCTION search_projects_sync()",
    "DROP TABLE search_lessons",
    "DROP TABLE search_projects",
]


def upgrade() -> None:
    op.create_table('lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('worked', sa.Text(), nullable=False),
    sa.Column('did_not_work', sa.Text(), nullable=False),
    sa.Column('advice', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('written_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_lessons_project_id_projects')),
    sa.ForeignKeyConstraint(['written_by'], ['users.id'], name=op.f('fk_lessons_written_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons')),
    sa.UniqueConstraint('project_id', name=op.f('uq_lessons_project_id'))
    )
    statements = _PG if op.get_bind().dialect.name == "postgresql" else _SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = _PG_DOWN if op.get_bind().dialect.name == "postgresql" else _SQLITE_DOWN
    for statement in statements:
        op.execute(statement)
    op.drop_table('lessons')
