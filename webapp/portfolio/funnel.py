"""The funnel chart's rows: per definition, each stage's count split by status."""

from __future__ import annotations

from typing import Any

from workflow import STATUSES, Definition


def funnel_rows(definitions: list[Definition], counts: dict[str, Any]) -> list[dict[str, Any]]:
    """Per definition with projects: its stages in order, with counts and bar widths.

    Each stage has ``total``, ``by_status`` (status → count) and ``segments``
    (status, count, width in % of the largest stage of all definitions): every bar is on
    one scale, so the collaboration forms compare.
    """
    largest = (
        max(
            (
                sum(per_status.values())
                for per_stage in counts.values()
                for per_status in per_stage.values()
            ),
            default=0,
        )
        or 1
    )
    out = []
    for d in definitions:
        per_stage = counts.get(d.key)
        if not per_stage:
            continue
        totals = {s.key: sum(per_stage.get(s.key, {}).values()) for s in d.stages}
        stages = []
        for s in d.stages:
            by_status = per_stage.get(s.key, {})
            segments = [
                (status, by_status[status], round(100 * by_status[status] / largest, 1))
                for status in STATUSES
                if by_status.get(status)
            ]
            stages.append(
                {"stage": s, "total": totals[s.key], "by_status": by_status, "segments": segments}
            )
        out.append({"definition": d, "total": sum(totals.values()), "stages": stages})
    return out


def area_rows(counts: dict[str | None, int], words: dict[str, Any]) -> list[dict[str, Any]]:
    """The thematic areas' counts with their names and bar widths (% of the largest)."""
    largest = max(counts.values(), default=0) or 1
    return [
        {
            "key": key,
            "label": str(words.get(key, key)) if key else None,
            "n": n,
            "width": round(100 * n / largest, 1),
        }
        for key, n in counts.items()
    ]
