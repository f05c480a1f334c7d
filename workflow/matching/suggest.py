"""``suggest_partners``: organisations ranked for a project, each with the reasons why.

The score (0..1) adds weighted signals: how alike the project's text and the organisation's
profile are (TF-IDF of character n-grams, cosine), the organisation's keywords found in the
project text, the same thematic area, completed projects in that area it took part in, an
approved research organisation, and a type the project's next gate still needs. Signals
are computed for every indexed organisation with array arithmetic; keywords, the costliest,
only for the best candidates. Current partners, and organisations that are inactive,
unconfirmed or merged away, are left out by an exact query per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import select

from workflow.definitions import ORGANISATION_TYPES
from workflow.errors import InvalidInput, NotFound, Problem, english
from workflow.matching.index import AREAS, SuggestionIndex, current_index
from workflow.matching.text import haystack, matches
from workflow.queries.projects import ProjectView
from workflow.runtime import Workflow
from workflow.store.conflicts import with_those_above
from workflow.store.fastsql import Sql
from workflow.store.tables import (
    organisations,
    partners,
    projects,
)

MAX_LIMIT = 50
#: weights of the signals; they add up to 1
W_TEXT, W_KEYWORDS, W_AREA, W_PAST, W_APPROVED, W_NEEDED = 0.35, 0.35, 0.08, 0.08, 0.04, 0.10
#: a cosine this high counts as fully similar text (char n-gram cosines rarely pass 0.5)
TEXT_FULL = 0.45
#: from this cosine on, the text is "similar" (a reason when no keyword matched)
TEXT_SIMILAR = 0.2
#: keywords found and completed projects that count fully
KEYWORDS_FULL, PAST_FULL = 4, 3
#: how many of the best-scored organisations get their keywords checked
POOL = 200


class Reason(NamedTuple):
    """Why an organisation is suggested: a code of ``workflow.errors.MESSAGES`` and the
    values its wording needs."""

    code: str
    params: Mapping[str, Any]

    @property
    def text(self) -> str:
        """The reason in English."""
        return english(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        """``{"code", "params", "text"}`` for JSON."""
        return {"code": self.code, "params": dict(self.params), "text": self.text}


@dataclass(frozen=True)
class Suggestion:
    """An organisation suggested as a partner: ``id, key, name, type, approved_research,
    thematic_areas``; its score from 0 to 1; the reasons, strongest first."""

    organisation: dict[str, Any]
    score: float
    reasons: list[Reason]


def _check(type: str | None, limit: int) -> None:
    errors = {}
    if type is not None and type not in ORGANISATION_TYPES:
        errors["type"] = Problem("not_one_of", {"choices": list(ORGANISATION_TYPES)})
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = Problem("number_between", {"min": 1, "max": MAX_LIMIT})
    if errors:
        raise InvalidInput(errors)


def _needed_types(wf: Workflow, row: Any, present: Mapping[str, int]) -> dict[str, str]:
    """Organisation type → the first next gate that needs more partners of it."""
    spec = wf.catalog.of(row)
    needed: dict[str, str] = {}
    for gate in spec.gates_from(row["stage"]):
        for org_type, need in gate.requires.partners.items():
            if present.get(org_type, 0) < need.min:
                needed.setdefault(org_type, gate.key)
    return needed


def _project_text(row: Any) -> str:
    values = [row["title"], row["summary"] or ""]
    fields = row["fields"] if isinstance(row["fields"], Mapping) else {}
    values += [v for v in fields.values() if isinstance(v, str)]
    return "\n".join(values)


def suggest_partners(
    wf: Workflow, project: int | ProjectView, *, type: str | None = None, limit: int = 10
) -> list[Suggestion]:
    """The organisations that best fit the project as new partners, best first.

    Args:
        project: its id, or its :class:`ProjectView` when the caller has read it already
            (the project page), which saves reading it again.
        type: only organisations of this type.
        limit: how many, 1 to 50.

    Raises:
        NotFound: there is no such project.
        InvalidInput: an unknown type, or a limit out of range.
    """
    _check(type, limit)
    if isinstance(project, ProjectView):
        row: Mapping[str, Any] = project.project
        current = [(int(p["organisation_id"]), str(p["type"])) for p in project.partners]
    else:
        row, current = _read(wf, project)
    index = current_index(wf)
    if not len(index):
        return []
    present: dict[str, int] = {}
    for _, org_type in current:
        present[org_type] = present.get(org_type, 0) + 1
    needed = _needed_types(wf, row, present)
    # neither a partner, nor the owner's organisation, nor one above them (a department's
    # university, a unit's municipality) is a new partner to look for
    with wf.db.read() as conn:
        taken = with_those_above(Sql.of(conn), [org_id for org_id, _ in current], row["owner_id"])
    return _rank(wf, index, row, needed, taken, type, limit)


def _read(wf: Workflow, project_id: int) -> tuple[Mapping[str, Any], list[tuple[int, str]]]:
    """The project's row and its partners' organisation ids and types, in one query."""
    query = (
        select(
            projects.c.id,
            projects.c.title,
            projects.c.summary,
            projects.c.fields,
            projects.c.thematic_area,
            projects.c.definition_key,
            projects.c.definition_version,
            projects.c.stage,
            projects.c.owner_id,
            partners.c.organisation_id.label("partner_org"),
            organisations.c.type.label("partner_type"),
        )
        .outerjoin(partners, partners.c.project_id == projects.c.id)
        .outerjoin(organisations, organisations.c.id == partners.c.organisation_id)
        .where(projects.c.id == project_id)
    )
    with wf.db.read() as conn:
        rows = conn.execute(query).mappings().all()
    if not rows:
        raise NotFound("no_project", project=project_id)
    current = [
        (int(r["partner_org"]), str(r["partner_type"]))
        for r in rows
        if r["partner_org"] is not None
    ]
    return dict(rows[0]), current


def _rank(
    wf: Workflow,
    index: SuggestionIndex,
    row: Mapping[str, Any],
    needed: Mapping[str, str],
    taken: set[int],
    type: str | None,
    limit: int,
) -> list[Suggestion]:
    text = _project_text(row)
    query = index.vectorizer.transform([text]).tocsr()
    cosine = np.asarray((query @ index.matrix).todense(), dtype=np.float64).ravel()
    area = row["thematic_area"]
    column = AREAS.index(area) if area in AREAS else None
    score = W_TEXT * np.minimum(1.0, cosine / TEXT_FULL) + W_APPROVED * index.approved
    if column is not None:
        past = index.completed[:, column]
        score += W_AREA * index.areas[:, column] + W_PAST * np.minimum(1.0, past / PAST_FULL)
    if needed:
        score += W_NEEDED * np.isin(index.types, list(needed))
    excluded = np.isin(index.ids, list(taken)) if taken else np.zeros(len(index), np.bool_)
    if type is not None:
        excluded |= index.types != type
    score = np.where(excluded, -1.0, score)
    pool = min(len(index), max(POOL, limit * 4))
    best = np.argpartition(-score, pool - 1)[:pool] if pool < len(index) else np.arange(pool)
    best = best[score[best] >= 0]
    words = haystack([text])
    found: dict[int, list[str]] = {}
    final: list[tuple[float, int]] = []
    for i in best.tolist():
        stems = zip(index.keywords[i], index.stems[i], strict=True)
        found[i] = [k for k, s in stems if matches(s, words)]
        bonus = W_KEYWORDS * _keyword_share(len(found[i]), len(index.keywords[i]))
        final.append((float(score[i]) + bonus, i))
    final.sort(key=lambda pair: (-pair[0], int(index.ids[pair[1]])))
    allowed = _allowed(wf, [int(index.ids[i]) for _, i in final], taken, type)
    out = []
    for value, i in final:
        if int(index.ids[i]) not in allowed:
            continue
        reasons = _reasons(index, i, found[i], float(cosine[i]), area, column, needed)
        out.append(Suggestion(_organisation(index, i), round(min(1.0, value), 3), reasons))
        if len(out) == limit:
            break
    return out


def _keyword_share(found: int, listed: int) -> float:
    """0..1 for ``found`` of an organisation's ``listed`` keywords in the project: mostly how
    many (up to :data:`KEYWORDS_FULL`), partly which share of its keywords."""
    if not found:
        return 0.0
    return 0.7 * min(1.0, found / KEYWORDS_FULL) + 0.3 * found / listed


def _allowed(wf: Workflow, ids: list[int], taken: set[int], type: str | None) -> set[int]:
    """Of ``ids``, those that may be suggested now: checked against the database, so a
    stale index never suggests a partner, an inactive, unconfirmed or merged organisation."""
    if not ids:
        return set()
    query = select(organisations.c.id).where(
        organisations.c.id.in_(ids),
        organisations.c.active.is_(True),
        organisations.c.confirmed.is_(True),
        organisations.c.merged_into.is_(None),
    )
    if type is not None:
        query = query.where(organisations.c.type == type)
    with wf.db.read() as conn:
        return {int(r[0]) for r in conn.execute(query)} - taken


def _reasons(
    index: SuggestionIndex,
    i: int,
    keywords: list[str],
    cosine: float,
    area: str | None,
    column: int | None,
    needed: Mapping[str, str],
) -> list[Reason]:
    reasons = []
    if keywords:
        reasons.append(Reason("shared_keywords", {"keywords": keywords}))
    elif cosine >= TEXT_SIMILAR:
        reasons.append(Reason("similar_text", {}))
    org_type = str(index.types[i])
    if org_type in needed:
        reasons.append(Reason("needed_by_gate", {"type": org_type, "gate": needed[org_type]}))
    if column is not None:
        if index.areas[i, column]:
            reasons.append(Reason("same_area", {"area": area}))
        count = int(index.completed[i, column])
        if count:
            reasons.append(Reason("past_projects_in_area", {"count": count, "area": area}))
    if index.approved[i]:
        reasons.append(Reason("approved_research", {}))
    return reasons


def _organisation(index: SuggestionIndex, i: int) -> dict[str, Any]:
    return {
        "id": int(index.ids[i]),
        "key": index.keys[i],
        "name": index.names[i],
        "type": str(index.types[i]),
        "approved_research": bool(index.approved[i]),
        "thematic_areas": list(index.thematic_areas[i]),
    }
