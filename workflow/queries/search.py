"""Full-text search over projects (title, summary, text fields) and lessons learned
(SPEC §4b ``GET /search``, §7 Search): ranked, with a highlighted snippet, paginated.

The database keeps the indexes current by triggers (migration 0008). SQLite searches FTS5
tables tokenized by ``unicode61`` (every letter folds case, diacritics kept) for a prefix of
each word's Norwegian stem (:func:`stem`: ``anskaffelse`` → ``anskaffels*``, which finds
``anskaffelser``); PostgreSQL matches ``plainto_tsquery('norwegian', …)`` against a GIN
indexed ``tsvector``, whose Snowball stemmer does the same. The user's text never reaches the
query syntax as such: only its words do, each quoted (SQLite) or through ``plainto_tsquery``
(PostgreSQL), so quotes, ``NEAR``, ``*`` or ``-`` cannot make a syntax error.

Every signed-in user may see every project (SPEC §4), so every hit is shown to everyone.
Snippets mark the matches with :data:`START` and :data:`STOP`; :func:`snippet_html` escapes
the text first and only then turns the marks into ``<mark>``.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from workflow.errors import InvalidInput, Problem
from workflow.queries.projects import Page, _page_args
from workflow.runtime import Workflow

#: longest query accepted, in characters (checked before anything else)
MAX_QUERY = 200
#: words of a query used at most
MAX_TERMS = 8
KINDS = ("project", "lesson")
START, STOP = "\x02", "\x03"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Norwegian inflectional endings (Snowball's step 1), longest first
_ENDINGS = tuple(
    sorted(
        [
            "hetenes",
            "hetene",
            "hetens",
            "heten",
            "heter",
            "endes",
            "ande",
            "ende",
            "edes",
            "enes",
            "erte",
            "ede",
            "ane",
            "ene",
            "ens",
            "ers",
            "ets",
            "het",
            "ast",
            "ert",
            "en",
            "ar",
            "er",
            "as",
            "es",
            "et",
            "a",
            "e",
            "s",
        ],
        key=len,
        reverse=True,
    )
)
_MARKS = re.compile(f"[{START}{STOP}]")


def stem(word: str) -> str:
    """``word`` case-folded without its inflectional ending, at least 3 letters kept
    (``Anskaffelsene`` → ``anskaffels``)."""
    word = word.casefold()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def terms(query: str) -> list[str]:
    """The stems of the query's words, at most :data:`MAX_TERMS`, each once."""
    out: list[str] = []
    for word in _WORD.findall(query):
        s = stem(word)
        if s not in out:
            out.append(s)
    return out[:MAX_TERMS]


def fts5_match(query: str) -> str:
    """An FTS5 ``MATCH`` expression: every word's stem as a quoted prefix (empty when the
    query has no words)."""
    return " ".join(f'"{t}"*' for t in terms(query))


def snippet_html(snippet: str) -> str:
    """A snippet as safe HTML: the text escaped, then its marks made ``<mark>``."""
    escaped = html.escape(snippet, quote=True)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


def plain(snippet: str) -> str:
    """A snippet without its marks."""
    return _MARKS.sub("", snippet)


def check_query(query: Any, kind: Any = None) -> str:
    """The query, stripped; InvalidInput naming ``q`` or ``kind`` when they will not do."""
    errors: dict[str, Problem] = {}
    if not isinstance(query, str) or not query.strip():
        errors["q"] = Problem("required")
    elif len(query) > MAX_QUERY:
        errors["q"] = Problem("text_too_long", {"max": MAX_QUERY})
    if kind not in (None, "", *KINDS):
        errors["kind"] = Problem("not_one_of", {"choices": list(KINDS)})
    if errors:
        raise InvalidInput(errors)
    assert isinstance(query, str)
    return query.strip()


@dataclass(frozen=True)
class _Sql:
    hits: str
    count: str
    project_snippets: str
    lesson_snippets: str


_SQLITE_PROJECT_HITS = (
    "SELECT 'project' AS kind, rowid AS project_id, bm25(search_projects, 5.0, 1.0) AS score"
    " FROM search_projects WHERE search_projects MATCH :m"
)
_SQLITE_LESSON_HITS = (
    "SELECT 'lesson' AS kind, rowid AS project_id, bm25(search_lessons) AS score"
    " FROM search_lessons WHERE search_lessons MATCH :m"
)
_PG_PROJECT_HITS = (
    "SELECT 'project' AS kind, project_id, -ts_rank(tsv, plainto_tsquery('norwegian', :q))"
    " AS score FROM search_projects WHERE tsv @@ plainto_tsquery('norwegian', :q)"
)
_PG_LESSON_HITS = (
    "SELECT 'lesson' AS kind, project_id, -ts_rank(tsv, plainto_tsquery('norwegian', :q))"
    " AS score FROM search_lessons WHERE tsv @@ plainto_tsquery('norwegian', :q)"
)
_HEADLINE = f"'StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2'"


def _hits_sql(dialect: str, kind: str | None) -> tuple[str, str]:
    parts = (
        (_PG_PROJECT_HITS, _PG_LESSON_HITS)
        if dialect == "postgresql"
        else (_SQLITE_PROJECT_HITS, _SQLITE_LESSON_HITS)
    )
    chosen = [p for p, k in zip(parts, KINDS, strict=True) if kind in (None, "", k)]
    union = " UNION ALL ".join(chosen)
    hits = (
        f"SELECT h.kind, h.project_id, h.score FROM ({union}) h"
        " ORDER BY h.score, h.project_id DESC LIMIT :limit OFFSET :offset"
    )
    # the count leaves the rank out: computing it for every match would cost the ranking again
    counts = {
        "project": (
            "SELECT count(*) FROM search_projects WHERE tsv @@ plainto_tsquery('norwegian', :q)"
            if dialect == "postgresql"
            else "SELECT count(*) FROM search_projects WHERE search_projects MATCH :m"
        ),
        "lesson": (
            "SELECT count(*) FROM search_lessons WHERE tsv @@ plainto_tsquery('norwegian', :q)"
            if dialect == "postgresql"
            else "SELECT count(*) FROM search_lessons WHERE search_lessons MATCH :m"
        ),
    }
    count = " + ".join(f"({counts[k]})" for k in KINDS if kind in (None, "", k))
    return hits, f"SELECT {count}"


def _snippets(
    conn: Connection, dialect: str, query: str, match: str, kind: str, ids: list[int]
) -> dict[int, str]:
    if not ids:
        return {}
    marks = {"a": START, "b": STOP}
    if dialect == "postgresql":
        if kind == "project":
            doc = (
                "p.summary || ' ' || coalesce((SELECT string_agg(value, ' ')"
                " FROM json_each_text(p.fields)), '')"
            )
            source = "projects p WHERE p.id = ANY(:ids)"
            key = "p.id"
        else:
            doc = "l.worked || ' … ' || l.did_not_work || ' … ' || l.advice"
            source = "lessons l WHERE l.project_id = ANY(:ids)"
            key = "l.project_id"
        sql = (
            f"SELECT {key} AS id, ts_headline('norwegian', {doc},"
            f" plainto_tsquery('norwegian', :q), {_HEADLINE}) FROM {source}"
        )
        rows = conn.execute(text(sql), {"q": query, "ids": ids})
    else:
        table = "search_projects" if kind == "project" else "search_lessons"
        column = -1
        placeholders = ", ".join(f":i{n}" for n in range(len(ids)))
        sql = (
            f"SELECT rowid, snippet({table}, {column}, :a, :b, '…', 24) FROM {table}"
            f" WHERE {table} MATCH :m AND rowid IN ({placeholders})"
        )
        params: dict[str, Any] = {"m": match, **marks}
        params.update({f"i{n}": i for n, i in enumerate(ids)})
        rows = conn.execute(text(sql), params)
    return {int(r[0]): str(r[1] or "") for r in rows}


#: hits reachable by paging on SQLite (deeper pages are empty; the total still counts all)
MAX_DEPTH = 1_000
#: SQLite ranks (bm25) at most this many of each kind's matches, the newest: a word found in
#: tens of thousands of rows would otherwise cost a rank for each (SPEC §6, B7); a query
#: matching fewer is ranked exactly
RANKED = 2_000


def _sqlite_hits(
    conn: Connection, kind: str | None, match: str, offset: int, per_page: int
) -> list[Any]:
    """One page of SQLite hits with their snippets: each kind's best ``offset + per_page``
    among its newest :data:`RANKED` matches
    (FTS5 computes ``snippet()`` only for the rows its ``ORDER BY … LIMIT`` keeps, where a
    second query for the page's snippets would walk the whole match again), merged."""
    upto = offset + per_page
    if upto > MAX_DEPTH:
        return []
    rows: list[Any] = []
    for k, sql in (("project", _SQLITE_PROJECT_PAGE), ("lesson", _SQLITE_LESSON_PAGE)):
        if kind in (None, "", k):
            rows.extend(
                conn.execute(
                    text(sql),
                    {"m": match, "upto": upto, "cap": RANKED, "a": START, "b": STOP},
                ).all()
            )
    rows.sort(key=lambda r: (r.score, -int(r.project_id)))
    return rows[offset:upto]


_SQLITE_PROJECT_PAGE = (
    "SELECT 'project' AS kind, rowid AS project_id, bm25(search_projects, 5.0, 1.0) AS score,"
    " snippet(search_projects, -1, :a, :b, '…', 24) AS snippet FROM search_projects"
    " WHERE search_projects MATCH :m AND rowid >= (SELECT coalesce(min(rowid), 0) FROM"
    " (SELECT rowid FROM search_projects WHERE search_projects MATCH :m"
    " ORDER BY rowid DESC LIMIT :cap)) ORDER BY score LIMIT :upto"
)
_SQLITE_LESSON_PAGE = (
    "SELECT 'lesson' AS kind, rowid AS project_id, bm25(search_lessons) AS score,"
    " snippet(search_lessons, -1, :a, :b, '…', 24) AS snippet FROM search_lessons"
    " WHERE search_lessons MATCH :m AND rowid >= (SELECT coalesce(min(rowid), 0) FROM"
    " (SELECT rowid FROM search_lessons WHERE search_lessons MATCH :m"
    " ORDER BY rowid DESC LIMIT :cap)) ORDER BY score LIMIT :upto"
)


def search(
    wf: Workflow,
    query: str,
    *,
    kind: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """One page of hits for ``query``, best first, with the total.

    Each hit: ``kind`` (project or lesson), ``project_id``, ``title``, ``status``,
    ``definition_key``, ``thematic_area``, ``score`` (higher is better) and ``snippet``
    (matches between :data:`START` and :data:`STOP`; see :func:`snippet_html`).

    Raises:
        InvalidInput: an empty or too long query (``q``), an unknown ``kind``.
    """
    query = check_query(query, kind)
    page, per_page = _page_args(page, per_page)
    match = fts5_match(query)
    if not match:
        return Page([], 0, page, per_page)
    dialect = wf.db.engine.dialect.name
    hits_sql, count_sql = _hits_sql(dialect, kind)
    # PostgreSQL gets the stemmed words joined, so its query sees what SQLite's does
    params = {"m": match, "q": " ".join(_WORD.findall(query)[:MAX_TERMS])}
    offset = (page - 1) * per_page
    with wf.db.read() as conn:
        total = int(conn.execute(text(count_sql), params).scalar_one())
        if dialect == "postgresql":
            found = conn.execute(
                text(hits_sql), {**params, "limit": per_page, "offset": offset}
            ).all()
        else:
            found = _sqlite_hits(conn, kind, match, offset, per_page)
        ids = sorted({int(r.project_id) for r in found})
        projects: dict[int, Any] = {}
        if ids:
            placeholders = ", ".join(f":i{n}" for n in range(len(ids)))
            projects = {
                int(r.id): r
                for r in conn.execute(
                    text(
                        "SELECT id, title, status, definition_key, thematic_area FROM projects"
                        f" WHERE id IN ({placeholders})"
                    ),
                    {f"i{n}": i for n, i in enumerate(ids)},
                )
            }
        if dialect == "postgresql":
            snippets = {
                k: _snippets(
                    conn,
                    dialect,
                    params["q"],
                    match,
                    k,
                    sorted({int(r.project_id) for r in found if r.kind == k}),
                )
                for k in KINDS
            }
        else:  # the snippets came with the hits
            snippets = {
                k: {int(r.project_id): r.snippet for r in found if r.kind == k} for k in KINDS
            }
    items = []
    for r in found:
        p = projects.get(int(r.project_id))
        if p is None:
            continue
        items.append(
            {
                "kind": r.kind,
                "project_id": p.id,
                "title": p.title,
                "status": p.status,
                "definition_key": p.definition_key,
                "thematic_area": p.thematic_area,
                "score": round(-float(r.score), 6),
                "snippet": snippets[r.kind].get(p.id, ""),
            }
        )
    return Page(items, total, page, per_page)


#: words of an idea's text used to find similar projects
MAX_SIMILAR_TERMS = 16


def _idea_words(idea: str) -> list[str]:
    """The idea's distinct words of 4 letters or more (shorter ones are mostly function
    words), at most :data:`MAX_SIMILAR_TERMS`."""
    out: list[str] = []
    for word in _WORD.findall(idea[: MAX_QUERY * 10]):
        folded = word.casefold()
        if len(folded) >= 4 and folded not in out:
            out.append(folded)
    return out[:MAX_SIMILAR_TERMS]


def similar_projects(
    wf: Workflow, idea: str, *, limit: int = 5, exclude: int | None = None
) -> list[dict[str, Any]]:
    """Past projects (completed or killed) most like ``idea``'s text, best first, each with
    its lesson learned when it has one (``worked``, ``did_not_work``, ``advice``, ``tags``;
    None without): "others tried this". Any word may match (an OR of the idea's words),
    ranked by bm25 (SQLite) or ts_rank (PostgreSQL)."""
    words = _idea_words(idea)
    if not words:
        return []
    dialect = wf.db.engine.dialect.name
    params: dict[str, Any] = {"limit": max(1, min(limit, 20)), "exclude": exclude or 0}
    if dialect == "postgresql":
        query = " || ".join(f"plainto_tsquery('norwegian', :w{n})" for n in range(len(words)))
        params.update({f"w{n}": w for n, w in enumerate(words)})
        ranked = (
            f"SELECT s.project_id AS id, ts_rank(s.tsv, {query}) AS score FROM search_projects s"
            f" WHERE s.tsv @@ ({query})"
        )
        order = "score DESC"
    else:
        params["m"] = " OR ".join(f'"{stem(w)}"*' for w in words)
        ranked = (
            "SELECT rowid AS id, bm25(search_projects, 5.0, 1.0) AS score FROM search_projects"
            " WHERE search_projects MATCH :m"
        )
        order = "score"
    sql = (
        "SELECT p.id, p.title, p.status, p.definition_key, p.thematic_area,"
        " l.worked, l.did_not_work, l.advice, l.tags, l.id AS lesson_id"
        f" FROM ({ranked}) r JOIN projects p ON p.id = r.id"
        " LEFT JOIN lessons l ON l.project_id = p.id"
        " WHERE p.status IN ('completed', 'killed') AND p.id <> :exclude"
        f" ORDER BY r.{order}, p.id DESC LIMIT :limit"
    )
    with wf.db.read() as conn:
        rows = conn.execute(text(sql), params).mappings().all()
    out = []
    for r in rows:
        item = {k: r[k] for k in ("id", "title", "status", "definition_key", "thematic_area")}
        tags = r["tags"]
        if isinstance(tags, str):  # JSON comes back as text in a raw query on SQLite
            tags = json.loads(tags)
        item["lesson"] = (
            None
            if r["lesson_id"] is None
            else {
                "worked": r["worked"],
                "did_not_work": r["did_not_work"],
                "advice": r["advice"],
                "tags": tags or [],
            }
        )
        out.append(item)
    return out
