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
        check_definitions,
        load_definitions,
        parse_definition,
    )
    from workflow.definitions.diagram import FORMATS, draw
    from workflow.domain.benefits import BENEFIT_TYPES, CHAIN_LINKS
    from workflow.domain.call_rules import APPLICATION_STATUSES, BUDGET_CATEGORIES
    from workflow.domain.calls import CALL_PHASES, call_is_open, call_phase
    from workflow.domain.lifecycle import STATUSES
    from workflow.domain.reports import REPORT_KINDS, REPORT_STATUSES
    from workflow.domain.sso import RoleRule, parse_role_map, role_for
    from workflow.domain.stalls import review_sla_days
    from workflow.domain.text import one_line
    from workflow.domain.voting import DECISIONS, may_vote

    # --- project room (issue #14) ---
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
        TooLarge,
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
    from workflow.queries.benefits import (
        BenefitPlan,
        flagged_project_list,
        portfolio_benefits,
        project_benefits,
    )
    from workflow.queries.calls import call_applications, call_choices, get_call, list_calls
    from workflow.queries.conflicts import conflict_of_interest
    from workflow.queries.discussion import (
        ProjectRoom,
        get_comment,
        project_comments,
        project_follow_ups,
        project_questions,
        project_room,
    )
    from workflow.queries.export import portfolio_rows
    from workflow.queries.funding import funding_by_call, funding_rows, granted_by_area
    from workflow.queries.governance import changes_since_last_review, sent_back

    # --- lessons learned and search (issue 13) ---
    from workflow.queries.lessons import get_lesson, list_lessons
    from workflow.queries.monitor import OUTBOX_STATUSES, list_job_runs, list_outbox, outbox_counts

    # --- open data (issue #17) ---
    from workflow.queries.open_data import OPEN_COLUMNS, open_projects, open_rows
    from workflow.queries.organisations import (
        get_organisation,
        list_organisations,
        organisation_choices,
        organisation_projects,
    )
    from workflow.queries.projects import (
        QUEUE_ORDERS,
        Page,
        ProjectFilter,
        ProjectView,
        area_counts,
        funnel,
        gate_queue,
        get_project,
        list_projects,
        on_hold_for,
        project_events,
        review_sla,
        stalled_projects,
    )
    from workflow.queries.reports import ProjectReports, overdue_reports, project_reports
    from workflow.queries.search import search, similar_projects, snippet_html
    from workflow.queries.tasks import Task, my_tasks
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
    from workflow.services.areas import end_thematic_area, list_thematic_areas, save_thematic_area
    from workflow.services.benefits import add_benefit, edit_benefit, record_measurement
    from workflow.services.calls import CALL_FIELDS, create_call, update_call
    from workflow.services.decisions import DecisionResult, decide_gate
    from workflow.services.discussion import (
        add_comment,
        answer_question,
        ask_question,
        close_follow_up,
    )
    from workflow.services.gates import resume_project, submit_project
    from workflow.services.governance import (
        remove_substitute,
        set_substitute,
        substitute_groups,
        substitute_of,
    )
    from workflow.services.lessons import write_lesson
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
    from workflow.services.persons import Erasure, erase_person, export_person
    from workflow.services.projects import (
        add_partner,
        create_project,
        remove_partner,
        set_checklist_item,
        update_partner,
        update_project,
    )
    from workflow.services.publishing import publish_project, unpublish_project
    from workflow.services.reports import add_report, approve_report, deliver_report
    from workflow.services.room import (
        attachment_file,
        list_attachments,
        may_edit_project,
        project_roles_of,
        set_roles,
        upload_attachment,
    )
    from workflow.services.sso import sign_in_sso
    from workflow.store.audit_check import ChainFault, rekey_chains, verify_chains
    from workflow.store.catalog import Catalog, Registration
    from workflow.store.db import Database
    from workflow.store.setup import initialise, open_workflow, register_versions


#: the module each public name lives in
_MODULES: dict[str, tuple[str, ...]] = {
    "workflow.definitions": (
        "ORGANISATION_TYPES",
        "THEMATIC_AREAS",
        "Definition",
        "Gate",
        "Stage",
        "check_definitions",
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
        "TooLarge",
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
        "QUEUE_ORDERS",
        "Page",
        "ProjectFilter",
        "ProjectView",
        "area_counts",
        "funnel",
        "gate_queue",
        "get_project",
        "list_projects",
        "on_hold_for",
        "project_events",
        "review_sla",
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
    "workflow.store.setup": ("initialise", "open_workflow", "register_versions"),
    # --- open data (issue #17) ---
    "workflow.queries.open_data": ("OPEN_COLUMNS", "open_projects", "open_rows"),
    "workflow.services.persons": ("Erasure", "erase_person", "export_person"),
    "workflow.services.publishing": ("publish_project", "unpublish_project"),
    # the project room: discussion, requests for information, follow-ups
    "workflow.queries.discussion": (
        "ProjectRoom",
        "get_comment",
        "project_comments",
        "project_follow_ups",
        "project_questions",
        "project_room",
    ),
    "workflow.services.discussion": (
        "add_comment",
        "answer_question",
        "ask_question",
        "close_follow_up",
    ),
    # --- lessons learned and search (issue 13) ---
    "workflow.queries.lessons": ("get_lesson", "list_lessons"),
    "workflow.queries.search": ("search", "similar_projects", "snippet_html"),
    "workflow.services.lessons": ("write_lesson",),
    # benefit realisation (issue 13)
    "workflow.domain.benefits": ("BENEFIT_TYPES", "CHAIN_LINKS"),
    "workflow.queries.benefits": (
        "BenefitPlan",
        "flagged_project_list",
        "portfolio_benefits",
        "project_benefits",
    ),
    "workflow.services.benefits": ("add_benefit", "edit_benefit", "record_measurement"),
    "workflow.services.areas": ("end_thematic_area", "list_thematic_areas", "save_thematic_area"),
    "workflow.services.governance": (
        "remove_substitute",
        "set_substitute",
        "substitute_groups",
        "substitute_of",
    ),
    "workflow.queries.governance": ("changes_since_last_review", "sent_back"),
    "workflow.queries.tasks": ("Task", "my_tasks"),
    # --- project room (issue #14) ---
    "workflow.services.room": (
        "attachment_file",
        "list_attachments",
        "may_edit_project",
        "project_roles_of",
        "set_roles",
        "upload_attachment",
    ),
    # --- single sign-on (issue #17) ---
    "workflow.domain.sso": ("RoleRule", "parse_role_map", "role_for"),
    "workflow.domain.stalls": ("review_sla_days",),
    "workflow.services.sso": ("sign_in_sso",),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "APPLICATION_STATUSES",
    "BENEFIT_TYPES",
    "BUDGET_CATEGORIES",
    "CALL_FIELDS",
    "CALL_PHASES",
    "CHAIN_LINKS",
    "DAILY_JOBS",
    "DECISIONS",
    "FORMATS",
    "LANGUAGES",
    "OPEN_COLUMNS",
    "ORGANISATION_TYPES",
    "OUTBOX_STATUSES",
    "PARTNER_STATUSES",
    "QUEUE_ORDERS",
    "REPORT_KINDS",
    "REPORT_STATUSES",
    "ROLES",
    "SCHEDULER_LEASE",
    "STATUSES",
    "THEMATIC_AREAS",
    "TOKEN_DAYS",
    "Actor",
    "BenefitPlan",
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
    "Erasure",
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
    "ProjectRoom",
    "ProjectView",
    "Reason",
    "Registration",
    "RoleRule",
    "Settings",
    "Stage",
    "StaleVersion",
    "StallReport",
    "Suggestion",
    "Task",
    "TooLarge",
    "TransitionNotAllowed",
    "Unmet",
    "Workflow",
    "WorkflowError",
    "acquire_lease",
    "actor_for_session",
    "actor_for_token",
    "add_benefit",
    "add_comment",
    "add_organisation",
    "add_partner",
    "add_report",
    "add_user",
    "answer_question",
    "application_calls",
    "approve_report",
    "area_counts",
    "ask_question",
    "attachment_file",
    "authenticate",
    "call_applications",
    "call_choices",
    "call_is_open",
    "call_phase",
    "changes_since_last_review",
    "check_definitions",
    "close_follow_up",
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
    "edit_benefit",
    "end_sessions",
    "end_thematic_area",
    "erase_person",
    "export_person",
    "flag_stalled",
    "flagged_project_list",
    "funding_by_call",
    "funding_rows",
    "funnel",
    "gate_queue",
    "get_actor",
    "get_application",
    "get_call",
    "get_comment",
    "get_lesson",
    "get_organisation",
    "get_project",
    "get_user",
    "granted_by_area",
    "initialise",
    "list_applications",
    "list_attachments",
    "list_calls",
    "list_job_runs",
    "list_lessons",
    "list_organisations",
    "list_outbox",
    "list_projects",
    "list_thematic_areas",
    "list_users",
    "load_definitions",
    "may_edit_project",
    "may_vote",
    "merge_organisations",
    "my_tasks",
    "new_holder",
    "on_hold_for",
    "one_line",
    "open_projects",
    "open_rows",
    "open_workflow",
    "organisation_choices",
    "organisation_projects",
    "outbox_counts",
    "overdue_reports",
    "parse_definition",
    "parse_role_map",
    "portfolio_benefits",
    "portfolio_rows",
    "project_benefits",
    "project_comments",
    "project_events",
    "project_follow_ups",
    "project_questions",
    "project_reports",
    "project_roles_of",
    "project_room",
    "propose_organisation",
    "publish_project",
    "reactivate_organisation",
    "reapply",
    "record_measurement",
    "record_outcome",
    "refresh_suggestions",
    "register_versions",
    "rekey_chains",
    "release_lease",
    "remove_partner",
    "remove_substitute",
    "reset_password",
    "resume_project",
    "review_sla",
    "review_sla_days",
    "revoke_token",
    "revoke_user_token",
    "role_for",
    "run_all",
    "run_checks",
    "run_daily_if_due",
    "run_delivery",
    "save_thematic_area",
    "search",
    "sent_back",
    "set_active",
    "set_checklist_item",
    "set_language",
    "set_roles",
    "set_substitute",
    "sign_in_sso",
    "similar_projects",
    "snippet_html",
    "stalled_projects",
    "submit_application",
    "submit_project",
    "substitute_groups",
    "substitute_of",
    "suggest_partners",
    "unpublish_project",
    "update_application",
    "update_call",
    "update_organisation",
    "update_partner",
    "update_project",
    "update_user",
    "upload_attachment",
    "verify_chains",
    "withdraw_application",
    "write_lesson",
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
