"""Shape the engine's read models into the documents the response schemas declare."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from workflow import InvalidInput, Problem, ProjectView

T = TypeVar("T")


def _owner(row: Any) -> dict[str, Any]:
    return {"id": row["owner_id"], "name": row["owner_name"]}


def project_summary(row: Any) -> dict[str, Any]:
    """A row of the project list as a ``ProjectSummary``."""
    return {
        **{k: row[k] for k in ("id", "definition_version", "title", "thematic_area", "stage")},
        **{k: row[k] for k in ("status", "version", "stalled", "pending_gate")},
        "definition": row["definition_key"],
        "owner": _owner(row),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _review(view: ProjectView) -> dict[str, Any] | None:
    if view.review is None:
        return None
    votes = [
        {
            "voter": {"id": v["voter_id"], "name": v["voter_name"]},
            "group": v["voter_group"],
            "decision": v["decision"],
            "weighted_score": v["weighted_score"],
            "cast_at": v["cast_at"],
        }
        for v in view.votes
    ]
    return {
        "gate": view.review["gate_key"],
        "submitted_at": view.review["submitted_at"],
        "votes": votes,
    }


def project_document(view: ProjectView) -> dict[str, Any]:
    """A project as SPEC §4's ``ProjectOut``: next gates with each requirement met or not."""
    gates = view.next_gates
    return {
        **project_summary(view.project),
        "summary": view.project["summary"],
        "fields": view.project["fields"],
        "partners": view.partners,
        "checklist": view.checklist,
        "next_gates": gates,
        "next_gate": gates[0] if len(gates) == 1 else None,
        "review": _review(view),
    }


def event_document(row: Any) -> dict[str, Any]:
    """An audit event with its actor (``None`` for the scheduler)."""
    actor = None if row["actor_id"] is None else {"id": row["actor_id"], "name": row["actor_name"]}
    keys = ("seq", "action", "created_at", "payload", "hash")
    return {
        **{k: row[k] for k in keys},
        **{k: row[k] for k in ("from_stage", "to_stage", "from_status", "to_status")},
        "actor": actor,
    }


def page_of(
    items: Sequence[T], query: Mapping[str, Any], document: Callable[[T], Any], **extra: Any
) -> dict[str, Any]:
    """The page of a list the query asks for (``page``, ``per_page``), each item as its
    ``document``, with the list's ``total`` and any ``extra`` keys (a short list the engine
    gives whole: a project's reports, benefits, follow-ups, my tasks)."""
    page, per_page = query["page"], query["per_page"]
    start = (page - 1) * per_page
    return {
        "items": [document(i) for i in items[start : start + per_page]],
        "total": len(items),
        "page": page,
        "per_page": per_page,
        **extra,
    }


def etag(version: int) -> dict[str, str]:
    """The ``ETag`` header for a project at ``version``."""
    return {"ETag": f'"{version}"'}


def expected_version(body_version: int | None, if_match: str | None) -> int | None:
    """The version a change is based on: ``If-Match`` or the body's ``version``, or None.

    Raises:
        InvalidInput: ``If-Match`` disagrees with the body's ``version``.
    """
    if if_match is None or if_match == "*":
        return body_version
    version = int(if_match.strip('"'))
    if body_version is not None and body_version != version:
        raise InvalidInput({"version": Problem("version_mismatch")})
    return version
