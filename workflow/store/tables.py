"""SQLAlchemy 2 typed models: the tables of Samspill.

The ORM classes define the schema (and Alembic migrates it); the write hot path of the
engine uses their ``__table__`` with Core statements, the rest may use the ORM.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on both SQLite (which stores naive text) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of every model, with constraint names that agree across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, dict[str, Any]: JSON}


class Organisation(Base):
    """A partner organisation: a municipal unit, a research group, a company, …

    Organisations form a tree (NTNU → faculty → department) through ``parent_id``; one that
    projects use is deactivated, never deleted. One an owner proposed waits, unconfirmed,
    for a coordinator.
    """

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "type IN ('public', 'research', 'business', 'civil_society', 'citizens')",
            name="type_known",
        ),
        Index("ix_organisations_active_type", "active", "type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short unique handle used on the command line (``--org ntnu-ie``)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    #: the Norwegian organisation number (9 digits, mod-11 checked), unique when given
    org_number: Mapped[str | None] = mapped_column(String(9), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: on the Research Council's list of approved research organisations
    approved_research: Mapped[bool] = mapped_column(default=False, server_default="0")
    #: competence keywords, as entered
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    #: thematic areas (workflow.THEMATIC_AREAS keys)
    thematic_areas: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    active: Mapped[bool] = mapped_column(default=True, server_default="1")
    #: False while an owner's proposal waits for a coordinator (who proposed it: the events)
    confirmed: Mapped[bool] = mapped_column(default=True, server_default="1")
    #: the survivor this duplicate was merged into
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        default=utcnow, server_default=text("CURRENT_TIMESTAMP")
    )


class OrganisationContact(Base):
    """A contact person of an organisation: name, email and role."""

    __tablename__ = "organisation_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    role: Mapped[str] = mapped_column(String(100), default="")


class OrganisationEvent(Base):
    """The registry's own trail: who created, changed, confirmed, merged or deactivated an
    organisation, written in the same transaction as the change."""

    __tablename__ = "organisation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    """A person who logs in: owner, gatekeeper, coordinator or admin."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('owner', 'gatekeeper', 'coordinator', 'admin')", name="role_known"
        ),
        CheckConstraint("language IN ('nb', 'en')", name="language_known"),
        # an index, not a constraint: SQLite adds it without rebuilding `users`
        Index("ix_users_oidc", "oidc_issuer", "oidc_subject", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    #: the gate board group a gatekeeper votes for (``kommune``, ``ntnu``, …)
    gatekeeper_group: Mapped[str | None] = mapped_column(String(64), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(2), default="nb")
    is_active: Mapped[bool] = mapped_column(default=True)
    #: part of every session cookie; raising it (at logout) ends all the user's sessions
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: single sign-on: the OpenID provider (issuer URL) and its subject id for this person
    oidc_issuer: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the first characters of the token, to tell tokens apart when listing or revoking
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Login attempts counted per client address, per account, and per account and address.

    The key is a SHA-256 of what is counted, so neither addresses nor the email addresses
    people mistype are stored. A row counts the attempts of one window that began at the
    first attempt; an attempt after ``window_ends`` starts a new window.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int]
    window_ends: Mapped[datetime] = mapped_column(index=True)


class DefinitionVersion(Base):
    """A definition file as registered by ``samspill init``; projects pin one version."""

    __tablename__ = "definition_versions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)


class Project(Base):
    """A collaboration project moving through its definition's stages."""

    __tablename__ = "projects"
    __table_args__ = (
        ForeignKeyConstraint(
            ["definition_key", "definition_version"],
            ["definition_versions.key", "definition_versions.version"],
            name="fk_projects_definition_versions",
        ),
        CheckConstraint(
            "status IN ('active', 'in_review', 'on_hold', 'killed', 'completed')",
            name="status_known",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        # the stall check: open projects ordered by when they go stale
        Index("ix_projects_status_stale_at", "status", "stale_at"),
        # the portfolio funnel counts from this index alone
        Index("ix_projects_definition_stage_status", "definition_key", "stage", "status"),
        Index("ix_projects_owner_id_id", "owner_id", "id"),
        Index("ix_projects_status_id", "status", "id"),
        # the public portfolio (/open): published projects by id
        Index("ix_projects_published_id", "published", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_key: Mapped[str] = mapped_column(String(64))
    definition_version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    thematic_area: Mapped[str | None] = mapped_column(String(64), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: done checklist items per stage: {stage: [item, …]}
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stage: Mapped[str] = mapped_column(String(64))
    #: how many times the project has entered its stage (a repeated phase counts up)
    stage_round: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: optimistic concurrency counter, +1 on every change; the API's ETag
    version: Mapped[int] = mapped_column(default=1)
    #: the gate the project is submitted to while in review or on hold
    pending_gate: Mapped[str | None] = mapped_column(String(64))
    pending_review_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    stage_entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: last_activity_at + the stage's sla_days: past it, the project is stalled
    stale_at: Mapped[datetime | None]
    #: set when a stall episode was flagged (and escalated); cleared by any activity
    stall_flagged_at: Mapped[datetime | None]
    stall_escalated_at: Mapped[datetime | None]
    #: hash of the newest audit event of this project: deleting the tail is detected
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    audit_seq: Mapped[int] = mapped_column(default=0)
    #: shown in the public portfolio (/open) since ``published_at``: a coordinator's decision
    published: Mapped[bool] = mapped_column(default=False, server_default="0")
    published_at: Mapped[datetime | None]


class ProjectPartner(Base):
    """An organisation taking part in a project, in a role, once: ``invited`` →
    ``confirmed`` → ``letter_of_intent``, with the day each was reached."""

    __tablename__ = "project_partners"
    __table_args__ = (
        UniqueConstraint("project_id", "organisation_id", name="uq_project_partners_project_org"),
        CheckConstraint(
            "status IN ('invited', 'confirmed', 'letter_of_intent')", name="status_known"
        ),
        Index("ix_project_partners_organisation_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default="invited", server_default="invited")
    invited_on: Mapped[date | None] = mapped_column(Date)
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    letter_of_intent_on: Mapped[date | None] = mapped_column(Date)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class GateReview(Base):
    """One submission of a project to a gate, and how it was decided."""

    __tablename__ = "gate_reviews"
    __table_args__ = (
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('go', 'kill', 'hold', 'recycle')", name="outcome_known"
        ),
        Index("ix_gate_reviews_open", "decided_at", "gate_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    gate_key: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(10))
    #: set when the gatekeepers were reminded of this review (one digest per episode)
    reminded_at: Mapped[datetime | None]


class Vote(Base):
    """A gatekeeper's decision at a gate review."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("review_id", "voter_id", name="uq_votes_review_voter"),
        CheckConstraint("decision IN ('go', 'kill', 'hold', 'recycle')", name="decision_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("gate_reviews.id"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    voter_group: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(10))
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    weighted_score: Mapped[float | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the gatekeeper this vote was cast for by their named substitute (None: in person)
    substitute_for: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditEvent(Base):
    """An entry in a project's hash-chained audit trail."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("project_id", "seq", name="uq_audit_events_project_seq"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    #: position in the project's chain, from 1
    seq: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_stage: Mapped[str | None] = mapped_column(String(64))
    to_stage: Mapped[str | None] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditLedger(Base):
    """One row per database: how many audit chains exist and the sum of their projects'
    ids, under the audit key's MAC.

    A project deleted together with its whole trail leaves no broken link; the ledger,
    which cannot be counted down without the key, makes it visible. The id sum binds the
    count to which projects it counts, so an old ledger copied back can at most hide the
    newest projects, as a restore of an old backup would.
    """

    __tablename__ = "audit_ledger"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    chains: Mapped[int] = mapped_column(default=0)
    id_sum: Mapped[int] = mapped_column(BigInteger, default=0)
    #: HMAC-SHA256 of the count and sum under the audit key; empty until the first chain is keyed
    mac: Mapped[str] = mapped_column(String(64), default="")


class OutboxMessage(Base):
    """A mail queued in the same transaction as the change it tells about."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed', 'parked')", name="status_known"),
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
        # the admin's outbox, newest first by when queued
        Index("ix_outbox_messages_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    #: makes a reminder idempotent: the same key is never queued twice
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recipient_email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: a deliverer owns the row until then; another may take it over afterwards
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    """A record of one run of a scheduled job."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    as_of: Mapped[datetime]
    ok: Mapped[bool | None]
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Lease(Base):
    """A named lease: whoever holds it unexpired may act (the scheduler's leader)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]


class Call(Base):
    """A funder's call for proposals (the Research Council's IPO call of a year, a regional
    fund's call): its dates, amounts and rules, which every application to it follows.
    Amounts are whole NOK."""

    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_deadline", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    funder: Mapped[str] = mapped_column(String(200))
    #: {"nb": …, "en": …}
    title: Mapped[dict[str, Any]] = mapped_column(JSON)
    url: Mapped[str] = mapped_column(String(500), default="")
    opens_on: Mapped[date] = mapped_column(Date)
    #: the moment applications close (IPO: 13:00 Europe/Oslo on the day)
    deadline: Mapped[datetime]
    decision_expected_on: Mapped[date | None] = mapped_column(Date)
    earliest_start: Mapped[date | None] = mapped_column(Date)
    latest_start: Mapped[date | None] = mapped_column(Date)
    latest_end: Mapped[date | None] = mapped_column(Date)
    min_amount: Mapped[int | None] = mapped_column(BigInteger)
    max_amount: Mapped[int | None] = mapped_column(BigInteger)
    #: organisation type → the largest share of the budget the funder pays (0..1)
    max_support_rate: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: organisation type → how many partners of it an application needs
    required_partners: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: attachment type keys an application needs
    required_attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CallEvent(Base):
    """The calls' own trail: who registered or changed a call, and what, written in the
    same transaction as the change."""

    __tablename__ = "call_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Application(Base):
    """A project's application to a call. A project has any number, and its newest is its
    *current* one; re-applying after a rejection starts a new one (``previous_id``), so the
    rejected one stays with its feedback. Amounts are whole NOK."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'submitted', 'granted', 'rejected', 'withdrawn')",
            name="status_known",
        ),
        CheckConstraint(
            "granted_amount IS NULL OR applied_amount IS NULL OR granted_amount <= applied_amount",
            name="granted_within_applied",
        ),
        Index("ix_applications_project_id_id", "project_id", "id"),
        Index("ix_applications_call_id_status", "call_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"))
    #: the applicant, when not the owner's organisation
    applicant_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    #: the rejected application this one re-applies with
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    status: Mapped[str] = mapped_column(String(12), default="draft", server_default="draft")
    applied_amount: Mapped[int | None] = mapped_column(BigInteger)
    #: the project's total budget
    budget: Mapped[int | None] = mapped_column(BigInteger)
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    #: [{"category": salaries | rnd_services | equipment | other, "amount": NOK}]
    budget_lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: [{"organisation_id": …, "cash": NOK, "in_kind": NOK}]
    financing: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime | None]
    decided_on: Mapped[date | None] = mapped_column(Date)
    granted_amount: Mapped[int | None] = mapped_column(BigInteger)
    #: the funder's reference, feedback and panel scores
    reference: Mapped[str] = mapped_column(String(100), default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    panel_scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Report(Base):
    """A progress or final report a project owes its funder: ``due`` → ``delivered`` →
    ``approved`` (a coordinator approves; a funder's payment waits for it)."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("kind IN ('progress', 'final')", name="kind_known"),
        CheckConstraint("status IN ('due', 'delivered', 'approved')", name="status_known"),
        # overdue reports: open ones by due date
        Index("ix_reports_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(10))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="due", server_default="due")
    delivered_on: Mapped[date | None] = mapped_column(Date)
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectRoleAssignment(Base):
    """A user in one of the definition's ``project_roles`` on a project (issue #14)."""

    __tablename__ = "project_roles"
    __table_args__ = (UniqueConstraint("project_id", "role", name="uq_project_roles_project_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    role: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class Attachment(Base):
    """One version of a typed document of a project; its bytes are in the FileStore under
    ``sha256`` (issue #14). A new upload of a type is version n + 1 and keeps the old one."""

    __tablename__ = "attachments"
    __table_args__ = (
        UniqueConstraint("project_id", "type", "version", name="uq_attachments_project_type_v"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    type: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccountEvent(Base):
    """What happened to a person's account that belongs to no project's chain (their
    personal data erased), without the personal data itself."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- discussion, requests for information, follow-ups (migration 0010) ---


class Comment(Base):
    """A post in a project's discussion thread (Markdown, shown sanitised), oldest first."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_project_id_id", "project_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mention(Base):
    """A user named by ``@email`` in a comment: told by mail, listed in their tasks."""

    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("comment_id", "user_id", name="uq_mentions_comment_user"),
        Index("ix_mentions_user_id_comment_id", "user_id", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Question(Base):
    """A request for information from a gatekeeper at the pending gate: the review and its
    SLA pause until the owner answers every open one."""

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_project_id_answered_at", "project_id", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    gate: Mapped[str] = mapped_column(String(64))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("gate_reviews.id"))
    asked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answer_comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    answered_at: Mapped[datetime | None] = mapped_column()


class FollowUp(Base):
    """A condition of a conditional go: open until the responsible user or a coordinator
    closes it with a note."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        Index("ix_follow_ups_project_id_closed_at", "project_id", "closed_at"),
        Index("ix_follow_ups_responsible_id_closed_at", "responsible_id", "closed_at"),
        Index("ix_follow_ups_closed_at_due_on", "closed_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    gate: Mapped[str] = mapped_column(String(64))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("gate_reviews.id"))
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    responsible_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")


# --- lessons learned (issue 13) -----------------------------------------------------------
class Lesson(Base):
    """What a completed or killed project learned: one per project, written by its owner.

    Migration 0008 also keeps the full-text tables ``search_projects`` and
    ``search_lessons`` in sync with projects and lessons by triggers (not models here).
    """

    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), unique=True)
    worked: Mapped[str] = mapped_column(Text, default="")
    did_not_work: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    written_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- benefit realisation (issue 13) ---------------------------------------------------
class Benefit(Base):
    """A benefit in a project's benefit realisation plan (DOMAIN §6): what it measures, its
    baseline before the change, its target, the benefit owner (a line manager) and, where
    priced, NOK per year. ``unexpected`` marks one added after execution started."""

    __tablename__ = "benefits"
    __table_args__ = (
        CheckConstraint("type IN ('efficiency', 'quality', 'other_actors')", name="type_known"),
        CheckConstraint(
            "chain_link IN ('input', 'activity', 'output', 'user_effect', 'societal_effect')",
            name="chain_link_known",
        ),
        Index("ix_benefits_project_id_id", "project_id", "id"),
        # a benefit owner's benefits, by target date
        Index("ix_benefits_owner_id_target_on", "owner_id", "target_on"),
        # the daily reminders and the flag: benefits by target date
        Index("ix_benefits_target_on", "target_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    description: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    chain_link: Mapped[str] = mapped_column(String(16))
    indicator: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(50), default="")
    change_on: Mapped[date | None] = mapped_column(Date)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_on: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_on: Mapped[date | None] = mapped_column(Date)
    #: the benefit owner (gevinsteier), a line manager
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    preconditions: Mapped[str] = mapped_column(Text, default="")
    nok_per_year: Mapped[int | None] = mapped_column(BigInteger)
    unexpected: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Measurement(Base):
    """A measured value of a benefit: append-only, never updated (a series, oldest first)."""

    __tablename__ = "measurements"
    __table_args__ = (Index("ix_measurements_benefit_id_measured_on", "benefit_id", "measured_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int] = mapped_column(ForeignKey("benefits.id"))
    value: Mapped[float] = mapped_column(Float)
    measured_on: Mapped[date] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Substitute(Base):
    """A gatekeeper's named substitute, who votes in the gatekeeper's group from ``starts_on``
    to ``ends_on`` (both included); one at a time per gatekeeper."""

    __tablename__ = "substitutes"
    __table_args__ = (
        CheckConstraint("starts_on <= ends_on", name="period_ordered"),
        # the substitute's own look-up: which groups do I vote in today
        Index("ix_substitutes_substitute_id_ends_on", "substitute_id", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the gatekeeper's group when the substitute was named
    gatekeeper_group: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GovernanceEvent(Base):
    """The trail of changes to how the board works that belong to no project (a substitute
    named or removed), written in the same transaction as the change."""

    __tablename__ = "governance_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThematicArea(Base):
    """A thematic area of the partnership (TRD 3.0) that classifies projects, maintained by
    admins: an area ends (``valid_to``) rather than disappears, so old projects keep it."""

    __tablename__ = "thematic_areas"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    label_nb: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[date | None] = mapped_column(Date)
    #: the last day new projects may choose it (None: open-ended)
    valid_to: Mapped[date | None] = mapped_column(Date)


def table(model: type[Base]) -> Table:
    """The Core table of a model, typed as a Table for Core statements."""
    return cast(Table, model.__table__)


# The Core tables, built once: the engine's statements use these names.
organisations = table(Organisation)
contacts = table(OrganisationContact)
org_events = table(OrganisationEvent)
users = table(User)
tokens = table(ApiToken)
throttle = table(LoginThrottle)
definition_versions = table(DefinitionVersion)
projects = table(Project)
partners = table(ProjectPartner)
reviews = table(GateReview)
votes = table(Vote)
events = table(AuditEvent)
ledger = table(AuditLedger)
outbox = table(OutboxMessage)
job_runs = table(JobRun)
calls = table(Call)
call_events = table(CallEvent)
applications = table(Application)
reports = table(Report)
leases = table(Lease)

# --- open data (issue #17): account events ---
account_events = table(AccountEvent)
# discussion, requests for information, follow-ups (migration 0010)
comments = table(Comment)
mentions = table(Mention)
questions = table(Question)
follow_ups = table(FollowUp)
# --- lessons learned (issue 13) ---
lessons = table(Lesson)
# benefit realisation (issue 13)
benefits = table(Benefit)
measurements = table(Measurement)
# governance
substitutes = table(Substitute)
governance_events = table(GovernanceEvent)
thematic_areas = table(ThematicArea)

# --- project room (issue #14): roles and attachments ---
project_roles = table(ProjectRoleAssignment)
attachments = table(Attachment)
