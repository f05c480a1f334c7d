"""Scheduled checks as use cases taking ``as_of``: run by the scheduler and ``samspill check``.

The stall check finds candidates with one indexed range query on ``(status, stale_at)``
and flags each stall episode once: the owner is told when a project goes past its stage's
``sla_days``, the gate's gatekeepers when it passes twice that. Any activity on the project
clears the flags and so starts a new episode.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, or_, select

from workflow.definitions import ANY_GROUP, Definition
from workflow.domain.stalls import REVIEW_OVERDUE, review_sla_days, stall_actions, stall_reason
from workflow.jobs.mail.texts import render
from workflow.queries.projects import STALL_STATUSES
from workflow.runtime import Workflow
from workflow.store import pipeline
from workflow.store.pipeline import Mail
from workflow.store.tables import projects, users

_CANDIDATE_COLUMNS = (
    projects.c.id,
    projects.c.definition_key,
    projects.c.definition_version,
    projects.c.title,
    projects.c.stage,
    projects.c.status,
    projects.c.version,
    projects.c.owner_id,
    projects.c.last_activity_at,
    projects.c.stale_at,
    projects.c.pending_gate,
    projects.c.stall_flagged_at,
    projects.c.stall_escalated_at,
    projects.c.audit_seq,
    projects.c.audit_head,
    users.c.email.label("owner_email"),
    users.c.name.label("owner_name"),
    users.c.language.label("owner_language"),
)


#: the column that marks a stall episode's step as done
_STALL_COLUMN = {"stalled": "stall_flagged_at", "escalated": "stall_escalated_at"}


@dataclass(frozen=True)
class StallReport:
    """What one stall check did."""

    flagged: list[int]
    escalated: list[int]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the job record."""
        return {
            "flagged": len(self.flagged),
            "escalated": len(self.escalated),
            "projects": sorted(set(self.flagged) | set(self.escalated))[:200],
        }


def flag_stalled(wf: Workflow, *, as_of: datetime) -> StallReport:
    """Flag every project that went stale by ``as_of`` once per stall episode.

    Records a ``stalled`` (or ``escalated``) audit event and queues mail, all in one
    transaction; running it again for the same ``as_of`` finds nothing new.
    """
    flagged: list[int] = []
    escalated: list[int] = []
    with pipeline.batch(wf, now=as_of) as work:
        conn = work.conn
        rows = (
            conn.execute(
                select(*_CANDIDATE_COLUMNS)
                .join(users, users.c.id == projects.c.owner_id)
                .where(
                    projects.c.status.in_(STALL_STATUSES),
                    projects.c.stale_at < as_of,
                    or_(
                        projects.c.stall_flagged_at.is_(None),
                        projects.c.stall_escalated_at.is_(None),
                    ),
                )
            )
            .mappings()
            .all()
        )
        gatekeepers = _Gatekeepers(conn)
        digests: dict[int, list[tuple[Any, Definition, int]]] = {}
        for row in rows:
            ch = work.change(row)
            if stall_reason(ch.spec, row["status"], row["pending_gate"]) == REVIEW_OVERDUE:
                done = _review_overdue(wf, ch, row, gatekeepers, as_of)
                if "stalled" in done:
                    flagged.append(row["id"])
                if "escalated" in done:
                    escalated.append(row["id"])
                continue
            sla = ch.spec.stage(row["stage"]).sla_days or 0
            idle = as_of - row["last_activity_at"]
            payload = {"days_idle": idle.days, "sla_days": sla, "stage": row["stage"]}
            actions = stall_actions(
                flagged=row["stall_flagged_at"] is not None,
                escalated=row["stall_escalated_at"] is not None,
                idle=idle,
                sla_days=sla,
            )
            for action in actions:
                ch.set(**{_STALL_COLUMN[action]: as_of})
                ch.record(action, payload, activity=False)
            if "stalled" in actions:
                ch.mail(_owner_mail(wf, row, ch.spec, idle, sla))
                flagged.append(row["id"])
            if "escalated" in actions:
                for user in gatekeepers.of(ch.spec, row):
                    digests.setdefault(user.id, []).append((row, ch.spec, idle.days))
                escalated.append(row["id"])
        work.mail(*_escalation_digests(wf, gatekeepers, digests, as_of))
    return StallReport(flagged, escalated)


def _review_overdue(
    wf: Workflow,
    ch: pipeline.ProjectChange,
    row: Any,
    gatekeepers: _Gatekeepers,
    as_of: datetime,
) -> list[str]:
    """Flag a review that waited past its gate's ``review_sla_days`` (reason
    ``review_overdue``): the gatekeepers who may decide are told, and told again once it has
    waited twice the SLA (``escalated``). Returns the actions this run took."""
    gate = ch.spec.gate(row["pending_gate"])
    sla = review_sla_days(ch.spec, gate.key) or 0
    waited = as_of - (row["stale_at"] - timedelta(days=sla))
    payload = {
        "reason": REVIEW_OVERDUE,
        "gate": gate.key,
        "days_waiting": waited.days,
        "review_sla_days": sla,
        "days_idle": waited.days,
        "stage": row["stage"],
    }
    actions = stall_actions(
        flagged=row["stall_flagged_at"] is not None,
        escalated=row["stall_escalated_at"] is not None,
        idle=waited,
        sla_days=sla,
    )
    deciders = [u for u in gatekeepers.of(ch.spec, row) if _decides(gate, u)]
    for action in actions:
        ch.set(**{_STALL_COLUMN[action]: as_of})
        ch.record(action, payload, activity=False)
    for action in actions:
        kind = "review_overdue" if action == "stalled" else "review_escalated"
        for user in deciders:
            subject, body = render(
                kind,
                user.language,
                url=wf.project_url(row["id"]),
                title=row["title"],
                gate=gate.title.get(user.language),
                days=waited.days,
                sla=sla,
            )
            ch.mail(
                Mail(
                    user.id,
                    user.email,
                    user.language,
                    subject,
                    body,
                    row["id"],
                    dedupe_key=f"{kind}:{row['id']}:{row['version']}:{user.id}",
                )
            )
    return actions


def _decides(gate: Any, user: Any) -> bool:
    return ANY_GROUP in gate.quorum or user.gatekeeper_group in gate.quorum


def _owner_mail(wf: Workflow, row: Any, spec: Definition, idle: timedelta, sla: int) -> Mail:
    lang = row["owner_language"]
    subject, body = render(
        "stalled",
        lang,
        url=wf.project_url(row["id"]),
        title=row["title"],
        days=idle.days,
        stage=spec.stage(row["stage"]).title.get(lang),
        sla=sla,
    )
    return Mail(
        row["owner_id"],
        row["owner_email"],
        lang,
        subject,
        body,
        row["id"],
        dedupe_key=f"stalled:{row['id']}:{row['version']}",
    )


def _escalation_digests(
    wf: Workflow,
    gatekeepers: _Gatekeepers,
    digests: dict[int, list[tuple[Any, Definition, int]]],
    as_of: datetime,
) -> list[Mail]:
    """One mail per gatekeeper listing every project escalated to them in this run."""
    mail = []
    day = as_of.date().isoformat()
    for user_id, items in digests.items():
        user = gatekeepers.by_id(user_id)
        lines = "\n".join(
            f"- {row['title']} ({spec.stage(row['stage']).title.get(user.language)}, "
            f"{days} d, {row['owner_name']}): {wf.project_url(row['id'])}"
            for row, spec, days in items
        )
        subject, body = render("escalation_digest", user.language, count=len(items), items=lines)
        mail.append(
            Mail(
                user.id,
                user.email,
                user.language,
                subject,
                body,
                items[0][0]["id"] if len(items) == 1 else None,
                dedupe_key=f"escalated:{user.id}:{day}:{min(r['id'] for r, _, _ in items)}",
            )
        )
    return mail


class _Gatekeepers:
    """Active gatekeepers by group, read once per check."""

    def by_id(self, user_id: int) -> Any:
        """The gatekeeper with ``user_id`` (read already by :meth:`of`)."""
        return next(u for u in self._rows or [] if u.id == user_id)

    def __init__(self, conn: Connection) -> None:
        self._rows: list[Any] | None = None
        self._conn = conn

    def of(self, spec: Definition, row: Any) -> list[Any]:
        if self._rows is None:
            self._rows = list(
                self._conn.execute(
                    select(
                        users.c.id, users.c.email, users.c.language, users.c.gatekeeper_group
                    ).where(users.c.role == "gatekeeper", users.c.is_active.is_(True))
                )
            )
        groups: set[str] = set()
        for gate in spec.gates_from(row["stage"]):
            groups.update(gate.quorum)
        return [
            u
            for u in self._rows
            if u.id != row["owner_id"] and (ANY_GROUP in groups or u.gatekeeper_group in groups)
        ]
