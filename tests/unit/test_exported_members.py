"""What ``workflow`` exports, and that ``webapp/`` uses nothing else of it.

The exported names are written out here: adding, removing or renaming one is a change of
the engine's public API and must update this list (encode/httpx:
tests/test_exported_members.py).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import workflow

ROOT = Path(__file__).resolve().parents[2]
EXPORTED = [
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
#: The one lazy import of an engine module by the web layer: ``samspill init --demo``
#: loads the demo data, which is no part of the engine's API.
LAZY_EXCEPTIONS = {("webapp/cli/manage.py", "workflow.demo")}


def test_workflow_exports_exactly_the_pinned_names():
    assert workflow.__all__ == EXPORTED


def test_every_exported_name_resolves():
    missing = [name for name in EXPORTED if not hasattr(workflow, name)]

    assert missing == []


def engine_modules() -> set[str]:
    """The modules and packages directly under ``workflow``."""
    return {
        f"workflow.{p.stem}"
        for p in (ROOT / "workflow").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and any(p.glob("*.py")))
    }


def test_the_import_ban_names_every_module_of_the_engine():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    banned = config["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-module-level-imports"]

    assert sorted(banned) == sorted(engine_modules())


def test_webapp_imports_engine_modules_nowhere_but_in_the_demo_loader():
    modules = engine_modules()
    found = set()
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "workflow":
                names = [f"workflow.{a.name}" for a in node.names]  # `from workflow import jobs`
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            relative = path.relative_to(ROOT).as_posix()
            found |= {(relative, n) for n in names if ".".join(n.split(".")[:2]) in modules}

    assert found == LAZY_EXCEPTIONS
