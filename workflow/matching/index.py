"""The in-process index of organisation profiles that partner suggestions rank against.

Built once per process and workflow from three queries (the organisations; ONE aggregate
query for the titles and summaries of the newest projects each took part in; the completed
projects per organisation and thematic area), never per request. A cheap *revision* — a
handful of indexed maxima and counts read in one query — tells when the registry or the
partnerships changed; the index is then rebuilt, at most every :data:`REFRESH_SECONDS`, in
a read transaction (never inside a write). A stale index can only rank a little off: who
may be suggested (active, confirmed, not merged, not already a partner) is checked exactly
against the database on every request.

Profiles are TF-IDF vectors of character n-grams within words (scikit-learn's
``analyzer="char_wb"``): Norwegian compounds and inflections share most of their n-grams,
so ``velferdsteknologi`` is close to ``velferdsteknologiske løsninger`` and ``anskaffelse``
to ``anskaffelser`` without a Norwegian stemmer.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, and_, func, select
from sqlalchemy.sql.functions import coalesce

from workflow.matching.text import keyword_stems
from workflow.runtime import Workflow
from workflow.store.tables import (
    org_events,
    organisations,
    partners,
    projects,
)

#: the thematic areas of the arrays' columns (workflow.THEMATIC_AREAS)
AREAS = ("oppvekst_utdanning", "helse_velferd", "byutvikling", "innovasjon", "smartby")
#: the newest projects of an organisation its profile includes, and how much of a summary
PROFILE_PROJECTS = 12
PROFILE_SUMMARY = 160
log = logging.getLogger(__name__)

#: a changed revision rebuilds the index at most this often (seconds)
REFRESH_SECONDS = 30.0


@dataclass
class SuggestionIndex:
    """The organisations that could be suggested when it was built, as arrays by row."""

    revision: tuple[Any, ...]
    built_at: float
    seconds: float
    ids: NDArray[np.int64]
    keys: list[str]
    names: list[str]
    types: NDArray[np.str_]
    approved: NDArray[np.bool_]
    #: organisation × area: the organisation works in that thematic area
    areas: NDArray[np.bool_]
    #: organisation × area: completed projects in that area the organisation took part in
    completed: NDArray[np.int32]
    thematic_areas: list[list[str]]
    keywords: list[list[str]]
    stems: list[list[tuple[str, ...]]]
    vectorizer: Any = None
    #: L2-normalised TF-IDF vectors, transposed: n-gram × organisation (scipy CSR)
    matrix: Any = None
    rows: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.keys)


def revision(conn: Connection) -> tuple[Any, ...]:
    """What changes when the registry or the partnerships do, read in one indexed query."""
    completed = (
        select(func.count())
        .select_from(projects)
        .where(projects.c.status == "completed")
        .scalar_subquery()
    )
    query = select(
        select(func.max(org_events.c.id)).scalar_subquery(),
        select(func.max(organisations.c.id)).scalar_subquery(),
        select(func.max(organisations.c.updated_at)).scalar_subquery(),
        select(func.max(partners.c.id)).scalar_subquery(),
        select(func.count()).select_from(partners).scalar_subquery(),
        completed,
    )
    return tuple(conn.execute(query).one())


def _profiles(conn: Connection) -> dict[int, str]:
    """Per organisation, the titles and summary openings of its newest projects: one query."""
    text = projects.c.title + ". " + func.substr(projects.c.summary, 1, PROFILE_SUMMARY)
    newest = (
        select(
            partners.c.organisation_id,
            text.label("text"),
            func.row_number()
            .over(partition_by=partners.c.organisation_id, order_by=partners.c.id.desc())
            .label("n"),
        )
        .join(projects, projects.c.id == partners.c.project_id)
        .subquery()
    )
    joined = (
        func.group_concat(newest.c.text, " ")
        if conn.dialect.name == "sqlite"
        else func.string_agg(newest.c.text, " ")
    )
    query = (
        select(newest.c.organisation_id, joined)
        .where(newest.c.n <= PROFILE_PROJECTS)
        .group_by(newest.c.organisation_id)
    )
    return {int(r[0]): str(r[1] or "") for r in conn.execute(query)}


def _completed(conn: Connection) -> dict[tuple[int, str], int]:
    query = (
        select(partners.c.organisation_id, projects.c.thematic_area, func.count())
        .join(projects, projects.c.id == partners.c.project_id)
        .where(projects.c.status == "completed", projects.c.thematic_area.is_not(None))
        .group_by(partners.c.organisation_id, projects.c.thematic_area)
    )
    return {(int(r[0]), str(r[1])): int(r[2]) for r in conn.execute(query)}


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def build(wf: Workflow) -> SuggestionIndex:
    """Read the registry and the partnerships and build a fresh index."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # slow to import: on demand

    start = time.perf_counter()
    with wf.db.read() as conn:
        rev = revision(conn)
        orgs = conn.execute(
            select(
                organisations.c.id,
                organisations.c.key,
                organisations.c.name,
                organisations.c.type,
                coalesce(organisations.c.description, ""),
                organisations.c.keywords,
                organisations.c.thematic_areas,
                organisations.c.approved_research,
            )
            .where(
                and_(
                    organisations.c.active.is_(True),
                    organisations.c.confirmed.is_(True),
                    organisations.c.merged_into.is_(None),
                )
            )
            .order_by(organisations.c.id)
        ).all()
        profiles = _profiles(conn)
        completed = _completed(conn)
    n = len(orgs)
    index = SuggestionIndex(
        revision=rev,
        built_at=time.monotonic(),
        seconds=0.0,
        ids=np.array([r[0] for r in orgs], dtype=np.int64),
        keys=[r[1] for r in orgs],
        names=[r[2] for r in orgs],
        types=np.array([r[3] for r in orgs], dtype=np.str_),
        approved=np.array([bool(r[7]) for r in orgs], dtype=np.bool_),
        areas=np.zeros((n, len(AREAS)), dtype=np.bool_),
        completed=np.zeros((n, len(AREAS)), dtype=np.int32),
        thematic_areas=[],
        keywords=[],
        stems=[],
    )
    documents = []
    for i, r in enumerate(orgs):
        org_id, name, description = int(r[0]), str(r[2]), str(r[4] or "")
        words = _strings(r[5])
        mine = [a for a in _strings(r[6]) if a in AREAS]
        index.rows[org_id] = i
        index.keywords.append(words)
        index.stems.append([keyword_stems(w) for w in words])
        index.thematic_areas.append(mine)
        for a in mine:
            index.areas[i, AREAS.index(a)] = True
        for j, area in enumerate(AREAS):
            index.completed[i, j] = completed.get((org_id, area), 0)
        listed = " ".join(words)
        documents.append(f"{name}. {listed}. {listed}. {description} {profiles.get(org_id, '')}")
    if documents:
        index.vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            dtype=np.float32,
            # n-grams in most profiles ("er ", " og") say nothing and cost the most to match
            max_df=0.5 if len(documents) > 20 else 1.0,
        )
        # n-gram × organisation: a request reads only the rows of its own n-grams
        index.matrix = index.vectorizer.fit_transform(documents).T.tocsr()
    index.seconds = time.perf_counter() - start
    return index


#: a changed revision is rebuilt by a thread of its own while requests go on with the
#: index they have (a full rebuild takes seconds at 100,000 projects); tests turn it off
REBUILD_IN_BACKGROUND = True

_indexes: WeakKeyDictionary[Workflow, SuggestionIndex] = WeakKeyDictionary()
_building = threading.Lock()
#: the background rebuild under way, if any
rebuilding: threading.Thread | None = None


def current_index(wf: Workflow, *, refresh: bool = False) -> SuggestionIndex:
    """This process's index for ``wf``: built on first use, rebuilt when the revision
    changed (at most every :data:`REFRESH_SECONDS`) or when ``refresh`` is given.

    While one thread rebuilds, the others go on with the index they have.
    """
    global rebuilding
    index = _indexes.get(wf)
    if index is not None and not refresh:
        if time.monotonic() - index.built_at < REFRESH_SECONDS:
            return index
        with wf.db.read() as conn:
            if revision(conn) == index.revision:
                index.built_at = time.monotonic()  # checked: good for another period
                return index
        if REBUILD_IN_BACKGROUND:
            if _building.acquire(blocking=False):
                rebuilding = threading.Thread(
                    target=_rebuild, args=(wf,), name="suggestion-index", daemon=True
                )
                rebuilding.start()
            return index
    if index is not None and not _building.acquire(blocking=refresh):
        return index  # another thread is rebuilding it
    if index is None:
        _building.acquire()
    try:
        fresh = _indexes.get(wf)
        if fresh is not None and fresh is not index and not refresh:
            return fresh  # built meanwhile by another thread
        fresh = build(wf)
        _indexes[wf] = fresh
        return fresh
    finally:
        _building.release()


def _rebuild(wf: Workflow) -> None:
    """Build a fresh index and put it in place (the caller holds ``_building``)."""
    try:
        _indexes[wf] = build(wf)
    except Exception:  # the old index serves on; the next stale check tries again
        log.exception("rebuilding the partner suggestion index failed")
    finally:
        _building.release()


def refresh_suggestions(wf: Workflow) -> float:
    """Rebuild this process's suggestion index now (after a bulk import, say); returns the
    seconds it took."""
    return current_index(wf, refresh=True).seconds
