"""Samspill's workflow engine: definitions, persistence and use cases (no web framework).

The web layer, the CLI and the scheduler import from here only.

Each public name is imported from its module on first use (PEP 562), so that a command
that needs a few of them, such as ``samspill check``, does not load the whole engine;
type checkers see the imports below as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workflow.definitions import (
        ORGANISATION_TYPES,
        THEMATIC_AREAS,
        Definition,
        Gate,
        Stage,
        load_definitions,
        parse_definition,
    )
    from workflow.definitions.diagram import FORMATS, draw
    from workflow.domain.call_rules import APPLICATION_STATUSES, BUDGET_CATEGORIES
    from workflow.domain.calls import CALL_PHASES, call_is_open, call_phase
    from workflow.domain.lifecycle import STATUSES
    from workflow.domain.reports import REPORT_KINDS, REPORT_STATUSES
    from workflow.domain.sso import RoleRule, parse_role_map, role_for
    from workflow.domain.text import one_line
    from workflow.domain.voting import DECISIONS, may_vote
    from workflow.errors import (
        CallRulesNotMet,
        ConcurrentUpdate,
        DefinitionConflict,
        DefinitionError,
        Duplicate,
        GateNotSatisfied,
        InvalidInput,
        NotFound,
        PermissionDenied,
        Problem,
        StaleVersion,
        TransitionNotAllowed,
        Unmet,
        WorkflowError,
    )
    from workflow.jobs.lease import SCHEDULER_LEASE, acquire_lease, new_holder, release_lease
    from workflow.jobs.mail.outbox import DeliveryReport, deliver
    from workflow.jobs.runner import (
        DAILY_JOBS,
        JobResult,
        run_all,
        run_checks,
        run_daily_if_due,
        run_delivery,
    )
    from workflow.jobs.stalls import StallReport, flag_stalled
    from workflow.matching.index import refresh_suggestions
    from workflow.matching.suggest import Reason, Suggestion, suggest_partners
    from workflow.queries.applications import (
        application_calls,
        get_application,
        list_applications,
    )
    from workflow.queries.calls import call_applications, call_choices, get_call, list_calls
    from workflow.queries.conflicts import conflict_of_interest
    from workflow.queries.export import portfolio_rows
    from workflow.queries.funding import funding_by_call, funding_rows, granted_by_area
    from workflow.queries.monitor import OUTBOX_STATUSES, list_job_runs, list_outbox, outbox_counts
    from workflow.queries.organisations import (
        get_organisation,
        list_organisations,
        organisation_choices,
        organisation_projects,
    )
    from workflow.queries.projects import (
        Page,
        ProjectFilter,
        ProjectView,
        funnel,
        gate_queue,
        get_project,
        list_projects,
        on_hold_for,
        project_events,
        stalled_projects,
    )
    from workflow.queries.reports import ProjectReports, overdue_reports, project_reports
    from workflow.requirements.partners import PARTNER_STATUSES
    from workflow.runtime import LANGUAGES, ROLES, Actor, Settings, Workflow
    from workflow.services.accounts import (
        TOKEN_DAYS,
        actor_for_token,
        add_user,
        create_token,
        get_actor,
        get_user,
        list_users,
        reset_password,
        revoke_token,
        revoke_user_token,
        set_active,
        set_language,
        update_user,
    )
    from workflow.services.applications import (
        create_application,
        reapply,
        record_outcome,
        submit_application,
        update_application,
        withdraw_application,
    )
    from workflow.services.calls import CALL_FIELDS, create_call, update_call
    from workflow.services.decisions import DecisionResult, decide_gate
    from workflow.services.gates import resume_project, submit_project
    from workflow.services.login import LoginResult, actor_for_session, authenticate, end_sessions
    from workflow.services.organisations import (
        add_organisation,
        confirm_organisation,
        deactivate_organisation,
        merge_organisations,
        propose_organisation,
        reactivate_organisation,
        update_organisation,
    )
    from workflow.services.projects import (
        add_partner,
        create_project,
        remove_partner,
        set_checklist_item,
        update_partner,
        update_project,
    )
    from workflow.services.reports import add_report, approve_report, deliver_report
    from workflow.services.sso import sign_in_sso
    from workflow.store.audit_check import ChainFault, rekey_chains, verify_chains
    from workflow.store.catalog import Catalog, Registration
    from workflow.store.db import Database
    from workflow.store.setup import initialise, open_workflow

#: the module each public name lives in
_MODULES: dict[str, tuple[str, ...]] = {
    "workflow.definitions": (
        "ORGANISATION_TYPES",
        "THEMATIC_AREAS",
        "Definition",
        "Gate",
        "Stage",
        "load_definitions",
        "parse_definition",
    ),
    "workflow.definitions.diagram": ("FORMATS", "draw"),
    "workflow.domain.call_rules": ("APPLICATION_STATUSES", "BUDGET_CATEGORIES"),
    "workflow.domain.calls": ("CALL_PHASES", "call_is_open", "call_phase"),
    "workflow.domain.lifecycle": ("STATUSES",),
    "workflow.domain.reports": ("REPORT_KINDS", "REPORT_STATUSES"),
    "workflow.domain.text": ("one_line",),
    "workflow.domain.voting": ("DECISIONS", "may_vote"),
    "workflow.errors": (
        "CallRulesNotMet",
        "ConcurrentUpdate",
        "DefinitionConflict",
        "DefinitionError",
        "Duplicate",
        "GateNotSatisfied",
        "InvalidInput",
        "NotFound",
        "PermissionDenied",
        "Problem",
        "StaleVersion",
        "TransitionNotAllowed",
        "Unmet",
        "WorkflowError",
    ),
    "workflow.jobs.lease": ("SCHEDULER_LEASE", "acquire_lease", "new_holder", "release_lease"),
    "workflow.jobs.mail.outbox": ("DeliveryReport", "deliver"),
    "workflow.jobs.runner": (
        "DAILY_JOBS",
        "JobResult",
        "run_all",
        "run_checks",
        "run_daily_if_due",
        "run_delivery",
    ),
    "workflow.jobs.stalls": ("StallReport", "flag_stalled"),
    "workflow.queries.applications": (
        "application_calls",
        "get_application",
        "list_applications",
    ),
    "workflow.queries.calls": (
        "call_applications",
        "call_choices",
        "get_call",
        "list_calls",
    ),
    "workflow.queries.conflicts": ("conflict_of_interest",),
    "workflow.matching.index": ("refresh_suggestions",),
    "workflow.matching.suggest": ("Reason", "Suggestion", "suggest_partners"),
    "workflow.queries.export": ("portfolio_rows",),
    "workflow.queries.funding": ("funding_by_call", "funding_rows", "granted_by_area"),
    "workflow.queries.monitor": (
        "OUTBOX_STATUSES",
        "list_job_runs",
        "list_outbox",
        "outbox_counts",
    ),
    "workflow.queries.organisations": (
        "get_organisation",
        "list_organisations",
        "organisation_choices",
        "organisation_projects",
    ),
    "workflow.queries.projects": (
        "Page",
        "ProjectFilter",
        "ProjectView",
        "funnel",
        "gate_queue",
        "get_project",
        "list_projects",
        "on_hold_for",
        "project_events",
        "stalled_projects",
    ),
    "workflow.queries.reports": ("ProjectReports", "overdue_reports", "project_reports"),
    "workflow.runtime": ("LANGUAGES", "ROLES", "Actor", "Settings", "Workflow"),
    "workflow.services.accounts": (
        "TOKEN_DAYS",
        "actor_for_token",
        "add_user",
        "create_token",
        "get_actor",
        "get_user",
        "list_users",
        "reset_password",
        "revoke_token",
        "revoke_user_token",
        "set_active",
        "set_language",
        "update_user",
    ),
    "workflow.services.applications": (
        "create_application",
        "reapply",
        "record_outcome",
        "submit_application",
        "update_application",
        "withdraw_application",
    ),
    "workflow.services.calls": ("CALL_FIELDS", "create_call", "update_call"),
    "workflow.services.decisions": ("DecisionResult", "decide_gate"),
    "workflow.services.gates": ("resume_project", "submit_project"),
    "workflow.services.login": ("LoginResult", "actor_for_session", "authenticate", "end_sessions"),
    "workflow.services.organisations": (
        "add_organisation",
        "confirm_organisation",
        "deactivate_organisation",
        "merge_organisations",
        "propose_organisation",
        "reactivate_organisation",
        "update_organisation",
    ),
    "workflow.services.projects": (
        "add_partner",
        "create_project",
        "remove_partner",
        "set_checklist_item",
        "update_partner",
        "update_project",
    ),
    "workflow.requirements.partners": ("PARTNER_STATUSES",),
    "workflow.services.reports": ("add_report", "approve_report", "deliver_report"),
    "workflow.store.audit_check": ("ChainFault", "rekey_chains", "verify_chains"),
    "workflow.store.catalog": ("Catalog", "Registration"),
    "workflow.store.db": ("Database",),
    "workflow.store.setup": ("initialise", "open_workflow"),
    # --- single sign-on (issue #17) ---
    "workflow.domain.sso": ("RoleRule", "parse_role_map", "role_for"),
    "workflow.services.sso": ("sign_in_sso",),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "APPLICATION_STATUSES",
    "BUDGET_CATEGORIES",
    "CALL_FIELDS",
    "CALL_PHASES",
    "DAILY_JOBS",
    "DECISIONS",
    "FORMATS",
    "LANGUAGES",
    "ORGANISATION_TYPES",
    "OUTBOX_STATUSES",
    "PARTNER_STATUSES",
    "REPORT_KINDS",
    "REPORT_STATUSES",
    "ROLES",
    "SCHEDULER_LEASE",
    "STATUSES",
    "THEMATIC_AREAS",
    "TOKEN_DAYS",
    "Actor",
    "CallRulesNotMet",
    "Catalog",
    "ChainFault",
    "ConcurrentUpdate",
    "Database",
    "DecisionResult",
    "Definition",
    "DefinitionConflict",
    "DefinitionError",
    "DeliveryReport",
    "Duplicate",
    "Gate",
    "GateNotSatisfied",
    "InvalidInput",
    "JobResult",
    "LoginResult",
    "NotFound",
    "Page",
    "PermissionDenied",
    "Problem",
    "ProjectFilter",
    "ProjectReports",
    "ProjectView",
    "Reason",
    "Registration",
    "RoleRule",
    "Settings",
    "Stage",
    "StaleVersion",
    "StallReport",
    "Suggestion",
    "TransitionNotAllowed",
    "Unmet",
    "Workflow",
    "WorkflowError",
    "acquire_lease",
    "actor_for_session",
    "actor_for_token",
    "add_organisation",
    "add_partner",
    "add_report",
    "add_user",
    "application_calls",
    "approve_report",
    "authenticate",
    "call_applications",
    "call_choices",
    "call_is_open",
    "call_phase",
    "confirm_organisation",
    "conflict_of_interest",
    "create_application",
    "create_call",
    "create_project",
    "create_token",
    "deactivate_organisation",
    "decide_gate",
    "deliver",
    "deliver_report",
    "draw",
    "end_sessions",
    "flag_stalled",
    "funding_by_call",
    "funding_rows",
    "funnel",
    "gate_queue",
    "get_actor",
    "get_application",
    "get_call",
    "get_organisation",
    "get_project",
    "get_user",
    "granted_by_area",
    "initialise",
    "list_applications",
    "list_calls",
    "list_job_runs",
    "list_organisations",
    "list_outbox",
    "list_projects",
    "list_users",
    "load_definitions",
    "may_vote",
    "merge_organisations",
    "new_holder",
    "on_hold_for",
    "one_line",
    "open_workflow",
    "organisation_choices",
    "organisation_projects",
    "outbox_counts",
    "overdue_reports",
    "parse_definition",
    "parse_role_map",
    "portfolio_rows",
    "project_events",
    "project_reports",
    "propose_organisation",
    "reactivate_organisation",
    "reapply",
    "record_outcome",
    "refresh_suggestions",
    "rekey_chains",
    "release_lease",
    "remove_partner",
    "reset_password",
    "resume_project",
    "revoke_token",
    "revoke_user_token",
    "role_for",
    "run_all",
    "run_checks",
    "run_daily_if_due",
    "run_delivery",
    "set_active",
    "set_checklist_item",
    "set_language",
    "sign_in_sso",
    "stalled_projects",
    "submit_application",
    "submit_project",
    "suggest_partners",
    "update_application",
    "update_call",
    "update_organisation",
    "update_partner",
    "update_project",
    "update_user",
    "verify_chains",
    "withdraw_application",
]

if not TYPE_CHECKING:  # hidden from type checkers, which would then accept any name

    def __getattr__(name: str) -> Any:
        module = _HOME.get(name)
        if module is None:
            raise AttributeError(f"module 'workflow' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # the next look-up is an ordinary attribute
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
