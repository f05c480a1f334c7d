"""A person's data: everything held about them, and their erasure (GDPR art. 15 and 17;
SPEC §3 ``samspill person export|erase``).

**Export** is a list of sections (:data:`SECTIONS`), each one function from the person's
account row to the rows of that section, read in batches and written out as they come, so
a person with many votes or mails never has to fit in memory.

**Erasure** anonymises the account (name, a unique ``erased-<id>@invalid`` address, the
password disabled, tokens revoked, sessions ended) and removes their name and address
from the free text that holds them: vote comments, organisation contacts, mail to or about
them, organisation, call and governance events, project titles and summaries, and what a
project holds as text — discussion comments, questions and answers, conditions and their
notes, attachment file names, benefits and measurement comments, lessons. The audit trail keeps
actor *ids*, never names or addresses, but a vote's comment (or a project's first title)
is free text inside an event's hashed payload. Those events are redacted and their chain
re-signed from the first redacted event on, after the chain verified with the audit keys —
in the project's own change through the write pipeline, which appends a
``personal_data_erased`` event naming the redacted event numbers (no personal data). The
key that re-signs is the key that signs every event, so whoever lacks it can still forge
nothing; see the README ("Personal data") for why we chose this over pseudonyms.
The erasure itself is recorded as an ``erased`` account event.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    String,
    Table,
    cast,
    func,
    insert,
    or_,
    select,
    update,
)

from workflow.errors import NotFound, PermissionDenied, TransitionNotAllowed, WorkflowError
from workflow.runtime import Actor, Workflow
from workflow.store import pipeline
from workflow.store.audit import GENESIS, canonical
from workflow.store.audit_keys import current_keyring
from workflow.store.fold import contains
from workflow.store.tables import (
    account_events,
    applications,
    attachments,
    benefits,
    call_events,
    comments,
    contacts,
    events,
    follow_ups,
    governance_events,
    lessons,
    measurements,
    mentions,
    org_events,
    organisations,
    outbox,
    partners,
    project_roles,
    projects,
    questions,
    reports,
    reviews,
    substitutes,
    tokens,
    users,
    votes,
)

#: what an erased name becomes, in free text and in the account
ERASED_NAME = "[slettet]"
#: rows read per batch while exporting
BATCH = 500

Section = Callable[[Connection, Mapping[str, Any]], Iterable[Mapping[str, Any]]]


def _stream(conn: Connection, stmt: Any) -> Iterator[dict[str, Any]]:
    for row in conn.execute(stmt.execution_options(yield_per=BATCH)).mappings():
        yield dict(row)


def _account(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    org = None
    if user["organisation_id"] is not None:
        org = conn.execute(
            select(organisations.c.name).where(organisations.c.id == user["organisation_id"])
        ).scalar()
    keys = ("id", "email", "name", "role", "gatekeeper_group", "language", "is_active")
    return [{**{k: user[k] for k in keys}, "organisation": org, "created_at": user["created_at"]}]


def _projects(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    return _stream(
        conn,
        select(
            projects.c.id,
            projects.c.title,
            projects.c.summary,
            projects.c.definition_key,
            projects.c.stage,
            projects.c.status,
            projects.c.created_at,
        )
        .where(projects.c.owner_id == user["id"])
        .order_by(projects.c.id),
    )


def _votes(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    return _stream(
        conn,
        select(
            reviews.c.project_id,
            reviews.c.gate_key,
            votes.c.review_id,
            votes.c.decision,
            votes.c.scores,
            votes.c.comment,
            votes.c.cast_at,
        )
        .join(reviews, reviews.c.id == votes.c.review_id)
        .where(votes.c.voter_id == user["id"])
        .order_by(votes.c.id),
    )


def _events(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    return _stream(
        conn,
        select(
            events.c.project_id,
            events.c.seq,
            events.c.action,
            events.c.payload,
            events.c.created_at,
        )
        .where(events.c.actor_id == user["id"])
        .order_by(events.c.project_id, events.c.seq),
    )


def _contacts(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    return _stream(
        conn,
        select(
            organisations.c.name.label("organisation"),
            contacts.c.name,
            contacts.c.email,
            contacts.c.role,
        )
        .join(organisations, organisations.c.id == contacts.c.organisation_id)
        .where(func.lower(contacts.c.email) == user["email"].lower())
        .order_by(contacts.c.id),
    )


def _mail(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    return _stream(
        conn,
        select(
            outbox.c.recipient_email,
            outbox.c.subject,
            outbox.c.body,
            outbox.c.status,
            outbox.c.project_id,
            outbox.c.created_at,
        )
        .where(or_(outbox.c.recipient_id == user["id"], outbox.c.recipient_email == user["email"]))
        .order_by(outbox.c.id),
    )


def _by(table: Table, columns: Sequence[str], *people: str) -> Section:
    """A section: ``columns`` of the rows of ``table`` where any of the ``people`` columns
    is the person, oldest first."""

    def section(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
        return _stream(
            conn,
            select(*(table.c[c] for c in columns))
            .where(or_(*(table.c[p] == user["id"] for p in people)))
            .order_by(table.c.id),
        )

    return section


def _project_roles(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    return _stream(
        conn,
        select(project_roles.c.project_id, projects.c.title, project_roles.c.role)
        .join(projects, projects.c.id == project_roles.c.project_id)
        .where(project_roles.c.user_id == user["id"])
        .order_by(project_roles.c.id),
    )


def _mentions(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    return _stream(
        conn,
        select(comments.c.project_id, comments.c.body, comments.c.created_at)
        .join(mentions, mentions.c.comment_id == comments.c.id)
        .where(mentions.c.user_id == user["id"])
        .order_by(mentions.c.id),
    )


def _benefits(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    b, me = benefits.c, user["id"]
    return _stream(
        conn,
        select(b.project_id, b.description, b.indicator, b.preconditions, b.created_at)
        .add_columns((b.owner_id == me).label("benefit_owner"))
        .where(or_(b.owner_id == me, b.created_by == me))
        .order_by(b.id),
    )


def _measurements(conn: Connection, user: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    m = measurements.c
    return _stream(
        conn,
        select(benefits.c.project_id, m.benefit_id, m.value, m.measured_on, m.comment)
        .join(benefits, benefits.c.id == m.benefit_id)
        .where(m.recorded_by == user["id"])
        .order_by(m.id),
    )


#: the export's sections, in order: each a function from the person's account row to rows
SECTIONS: list[tuple[str, Section]] = [
    ("account", _account),
    ("projects", _projects),
    ("project_roles", _project_roles),
    ("votes", _votes),
    ("events", _events),
    ("comments", _by(comments, ("project_id", "body", "created_at"), "author_id")),
    ("mentions", _mentions),
    (
        "questions",
        _by(
            questions,
            ("project_id", "gate", "text", "asked_at", "answer", "answered_at"),
            "asked_by",
        ),
    ),
    (
        "follow_ups",
        _by(
            follow_ups,
            ("project_id", "gate", "text", "due_on", "created_at", "closed_at", "note"),
            "responsible_id",
            "voter_id",
            "closed_by",
        ),
    ),
    # what is known of the files they uploaded, not the bytes (downloadable on the page)
    (
        "attachments",
        _by(
            attachments,
            ("project_id", "type", "version", "filename", "content_type", "size", "uploaded_at"),
            "uploaded_by",
        ),
    ),
    ("benefits", _benefits),
    ("measurements", _measurements),
    (
        "lessons",
        _by(
            lessons,
            ("project_id", "worked", "did_not_work", "advice", "tags", "updated_at"),
            "written_by",
        ),
    ),
    (
        "substitutes",
        _by(
            substitutes,
            ("user_id", "substitute_id", "gatekeeper_group", "starts_on", "ends_on"),
            "user_id",
            "substitute_id",
        ),
    ),
    ("organisation_contacts", _contacts),
    ("mail", _mail),
    # metadata only: the token itself is never stored, its hash is never shown
    ("api_tokens", _by(tokens, ("prefix", "created_at", "expires_at", "revoked_at"), "user_id")),
    ("account_events", _by(account_events, ("action", "payload", "created_at"), "user_id")),
    ("governance_events", _by(governance_events, ("action", "payload", "created_at"), "actor_id")),
]


def _person(conn: Connection, email: str) -> dict[str, Any]:
    address = (email or "").strip().lower()
    row = conn.execute(select(users).where(func.lower(users.c.email) == address)).mappings().first()
    if row is None or not address:
        raise NotFound("no_person", email=email)
    return dict(row)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def export_person(wf: Workflow, email: str) -> Iterator[str]:
    """Everything held about the person with ``email``, as chunks of one JSON document
    ``{"email": …, "sections": {name: [rows…], …}}`` (account: a list of one).

    Raises:
        NotFound: no one has that email (raised here, before any chunk).
    """
    with wf.db.read() as conn:
        _person(conn, email)
    return _export_chunks(wf, email)


def _export_chunks(wf: Workflow, email: str) -> Iterator[str]:
    dump = json.dumps
    with wf.db.read() as conn:
        user = _person(conn, email)
        yield '{"email": ' + dump(user["email"], ensure_ascii=False) + ', "sections": {'
        for number, (name, section) in enumerate(SECTIONS):
            yield ("" if number == 0 else ", ") + dump(name) + ": ["
            for index, row in enumerate(section(conn, user)):
                text = dump(row, ensure_ascii=False, default=_json_default, sort_keys=True)
                yield ("\n  " if index == 0 else ",\n  ") + text
            yield "]"
        yield "}}\n"


@dataclass(frozen=True)
class Erasure:
    """What an erasure changed: the account's new address, the projects whose events were
    redacted (and how many events), and the rows of free text and mail anonymised."""

    user_id: int
    email: str
    projects: int
    events: int
    rows: int


class _Redactor:
    """Replaces a person's name and address, in any case, by :data:`ERASED_NAME`."""

    def __init__(self, needles: Sequence[str]) -> None:
        self.needles = [n for n in needles if len(n.strip()) >= 3]
        alternatives = "|".join(re.escape(n) for n in sorted(self.needles, key=len, reverse=True))
        self._pattern = re.compile(alternatives, re.IGNORECASE) if alternatives else None

    def text(self, value: str) -> str:
        return self._pattern.sub(ERASED_NAME, value) if self._pattern else value

    def any(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.any(v) for v in value]
        if isinstance(value, dict):
            return {k: self.any(v) for k, v in value.items()}
        return value

    def matches(self, column: Any) -> Any:
        """SQL: ``column`` holds a needle (a JSON column also as JSON escapes it)."""
        text = cast(column, String) if not isinstance(column.type, String) else column
        terms = []
        for needle in self.needles:
            terms.append(contains(text, needle))
            escaped = json.dumps(needle)[1:-1]
            if escaped != needle:
                terms.append(text.contains(escaped))
        return or_(*terms)


def erase_person(wf: Workflow, actor: Actor | None, email: str) -> Erasure:
    """Anonymise the person with ``email`` everywhere, keeping the audit trail verifiable.

    ``actor`` None is the command line (an operator with the database and the audit key).

    Raises:
        PermissionDenied: ``actor`` is given and is no admin.
        NotFound: no one has that email.
        TransitionNotAllowed: the person is erased already.
        WorkflowError: a chain to redact does not verify (nothing of that project changes).
    """
    if actor is not None and not actor.is_admin:
        raise PermissionDenied("admins_only_personal_data")
    with wf.db.read() as conn:
        user = _person(conn, email)
        if user["email"] == _placeholder(user["id"]):
            raise TransitionNotAllowed("person_erased", email=email)
        redactor = _Redactor([user["name"], user["email"]])
        candidates: list[int] = sorted(
            set(
                conn.execute(
                    select(events.c.project_id).where(redactor.matches(events.c.payload))
                ).scalars()
            )
            | set(
                conn.execute(
                    select(projects.c.id).where(
                        or_(*(redactor.matches(projects.c[n]) for n in _PROJECT_TEXTS))
                    )
                ).scalars()
            )
        )
        for table in _PROJECT_PARTS:
            columns = _text_columns(table)
            candidates = sorted(
                set(candidates)
                | set(
                    conn.execute(
                        select(table.c.project_id)
                        .where(or_(*(redactor.matches(c) for c in columns)))
                        .distinct()
                    ).scalars()
                )
            )
    redacted_events = 0
    for project_id in candidates:
        redacted_events += _redact_project(wf, actor, project_id, user["id"], redactor)
    rows = _anonymise_account(wf, actor, user, redactor, len(candidates), redacted_events)
    return Erasure(user["id"], _placeholder(user["id"]), len(candidates), redacted_events, rows)


#: the project's own columns that hold free text (``fields``: the definition's fields)
_PROJECT_TEXTS = ("title", "summary", "fields")
#: a project's sub-resources whose free text is redacted in the project's change
_PROJECT_PARTS = (
    partners,
    applications,
    reports,
    comments,
    questions,
    follow_ups,
    attachments,
    benefits,
    lessons,
)


def _text_columns(table: Table) -> list[Column[Any]]:
    """The columns of ``table`` that hold text or JSON (where a name can be written)."""
    return [
        c
        for c in table.columns
        if isinstance(c.type, String | JSON) and not c.primary_key and not c.foreign_keys
    ]


def _placeholder(user_id: int) -> str:
    return f"erased-{user_id}@invalid"


def _redact_project(
    wf: Workflow, actor: Actor | None, project_id: int, user_id: int, redactor: _Redactor
) -> int:
    """Redact one project's events, votes, title and summary, re-sign its chain and record
    the erasure in it, as one change. Returns how many events were redacted."""
    with pipeline.change(wf, actor, project_id) as ch:
        keyring = current_keyring()
        conn = ch.conn
        rows = [
            dict(r)
            for r in conn.execute(
                select(events).where(events.c.project_id == project_id).order_by(events.c.seq)
            ).mappings()
        ]
        head, key = GENESIS, None
        for row in rows:
            signer = keyring.signer_of(canonical(row), row["hash"], first=key)
            if row["prev_hash"] != head or signer is None:
                raise WorkflowError(
                    "erase_chain_broken",
                    project=project_id,
                    reason=f"event #{row['seq']} does not verify",
                )
            head, key = row["hash"], signer
        if head != ch.row["audit_head"]:
            raise WorkflowError(
                "erase_chain_broken", project=project_id, reason="the chain's end is missing"
            )
        redacted: list[int] = []
        head = GENESIS
        for row in rows:
            payload = redactor.any(row["payload"])
            changed = payload != row["payload"] or redacted
            if payload != row["payload"]:
                redacted.append(row["seq"])
            if changed:
                new = dict(row, payload=payload, prev_hash=head)
                new["hash"] = keyring.sign(canonical(new))
                conn.execute(
                    update(events)
                    .where(events.c.id == row["id"])
                    .values(payload=payload, prev_hash=head, hash=new["hash"])
                )
                head = new["hash"]
            else:
                head = row["hash"]
        review_ids = select(reviews.c.id).where(reviews.c.project_id == project_id)
        for vote in conn.execute(
            select(votes.c.id, votes.c.comment).where(
                votes.c.review_id.in_(review_ids), redactor.matches(votes.c.comment)
            )
        ).all():
            conn.execute(
                update(votes)
                .where(votes.c.id == vote.id)
                .values(comment=redactor.text(vote.comment))
            )
        for table in _PROJECT_PARTS:
            columns = _text_columns(table)
            for part in conn.execute(
                select(table.c.id, *columns).where(
                    table.c.project_id == project_id, or_(*(redactor.matches(c) for c in columns))
                )
            ).mappings():
                conn.execute(
                    update(table)
                    .where(table.c.id == part["id"])
                    .values({c.name: redactor.any(part[c.name]) for c in columns})
                )
        texts = conn.execute(
            select(*(projects.c[n] for n in _PROJECT_TEXTS)).where(projects.c.id == project_id)
        ).one()
        new_texts = {k: redactor.any(v) for k, v in texts._mapping.items()}
        changed_texts = {k: v for k, v in new_texts.items() if v != texts._mapping[k]}
        if changed_texts:
            ch.set(**changed_texts)
        ch.row = dict(ch.row, audit_head=head)
        ch.record(
            "personal_data_erased",
            {"user_id": user_id, "redacted_events": redacted, "fields": sorted(changed_texts)},
            activity=False,
        )
    return len(redacted)


def _anonymise_account(
    wf: Workflow,
    actor: Actor | None,
    user: Mapping[str, Any],
    redactor: _Redactor,
    project_count: int,
    event_count: int,
) -> int:
    """Anonymise the account and the free text outside the audit trail, in one transaction;
    record the erasure as an account event. Returns how many other rows changed."""
    now = wf.clock()
    placeholder = _placeholder(user["id"])
    count = 0
    with wf.db.write() as conn:
        conn.execute(
            update(users)
            .where(users.c.id == user["id"])
            .values(
                name=ERASED_NAME,
                email=placeholder,
                password_hash="!erased",
                is_active=False,
                session_generation=users.c.session_generation + 1,
            )
        )
        conn.execute(
            update(tokens)
            .where(tokens.c.user_id == user["id"], tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        for row in conn.execute(
            select(contacts.c.id, contacts.c.name, contacts.c.email).where(
                or_(redactor.matches(contacts.c.name), redactor.matches(contacts.c.email))
            )
        ).all():
            email = "" if row.email.strip().lower() == user["email"].lower() else row.email
            conn.execute(
                update(contacts)
                .where(contacts.c.id == row.id)
                .values(name=redactor.text(row.name), email=redactor.text(email))
            )
            count += 1
        for row in conn.execute(
            select(outbox.c.id, outbox.c.recipient_email, outbox.c.subject, outbox.c.body).where(
                or_(
                    outbox.c.recipient_id == user["id"],
                    redactor.matches(outbox.c.recipient_email),
                    redactor.matches(outbox.c.subject),
                    redactor.matches(outbox.c.body),
                )
            )
        ).all():
            to_them = row.recipient_email.strip().lower() == user["email"].lower()
            conn.execute(
                update(outbox)
                .where(outbox.c.id == row.id)
                .values(
                    recipient_email=placeholder if to_them else row.recipient_email,
                    subject=redactor.text(row.subject),
                    body=redactor.text(row.body),
                )
            )
            count += 1
        for row in conn.execute(
            select(measurements.c.id, measurements.c.comment).where(
                redactor.matches(measurements.c.comment)
            )
        ).all():
            conn.execute(
                update(measurements)
                .where(measurements.c.id == row.id)
                .values(comment=redactor.text(row.comment))
            )
            count += 1
        for table in (org_events, call_events, governance_events):
            for row in conn.execute(
                select(table.c.id, table.c.payload).where(redactor.matches(table.c.payload))
            ).all():
                conn.execute(
                    update(table)
                    .where(table.c.id == row.id)
                    .values(payload=redactor.any(row.payload))
                )
                count += 1
        conn.execute(
            insert(account_events).values(
                user_id=user["id"],
                actor_id=None if actor is None else actor.id,
                action="erased",
                payload={"projects": project_count, "events": event_count, "rows": count},
                created_at=now,
            )
        )
    return count
