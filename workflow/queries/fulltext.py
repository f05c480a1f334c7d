"""A filter clause for "this project is a full-text hit": the portfolio's ``q`` uses it beside
its substring match, so ``anskaffelser`` also finds ``anskaffelse`` and words in text fields
count. The indexes are migration 0008's, kept in sync by triggers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, column, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from workflow.store.tables import projects


class MatchesProject(ColumnElement[bool]):
    """``projects.id`` is a full-text hit of ``query`` (title, summary and text fields, with
    Norwegian inflections): FTS5 on SQLite, the ``norwegian`` tsvector on PostgreSQL. For
    filters such as the portfolio's ``q``, beside its substring match."""

    # the query text is bound when compiled: a statement holding it is never cached
    inherit_cache = False
    type = Boolean()

    def __init__(self, query: str) -> None:
        self.query = query[:200]  # the search's own bound (its words are bounded too)


@compiles(MatchesProject, "sqlite")
def _matches_sqlite(element: MatchesProject, compiler: Any, **kw: Any) -> str:
    from workflow.queries.search import fts5_match  # search imports the project queries

    match = fts5_match(element.query)
    if not match:
        return "0 = 1"
    return str(
        compiler.process(
            projects.c.id.in_(
                text("SELECT rowid FROM search_projects WHERE search_projects MATCH :fts_match")
                .bindparams(fts_match=match)
                .columns(column("rowid"))
            ),
            **kw,
        )
    )


@compiles(MatchesProject, "postgresql")
def _matches_postgresql(element: MatchesProject, compiler: Any, **kw: Any) -> str:
    return str(
        compiler.process(
            projects.c.id.in_(
                text(
                    "SELECT project_id FROM search_projects"
                    " WHERE tsv @@ plainto_tsquery('norwegian', :fts_query)"
                )
                .bindparams(fts_query=element.query)
                .columns(column("project_id"))
            ),
            **kw,
        )
    )
