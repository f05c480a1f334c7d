"""Errors the engine raises; the web layer maps each to a page, a flash or an HTTP status.

The tree::

    WorkflowError
    ├── DefinitionError          a definition file is invalid (FILE: WHERE: WHAT lines)
    ├── DefinitionConflict       a changed file kept a version that projects already use
    ├── NotFound                 no such project, user, organisation, gate or item
    ├── PermissionDenied         the actor may not do this
    ├── InvalidInput             a value is wrong; ``fields`` maps each field to a Problem
    ├── TransitionNotAllowed     the project's status or stage does not allow the operation
    ├── GateNotSatisfied         a gate's requirements are unmet; ``unmet`` lists them
    │   └── CallRulesNotMet      an application breaks its call's rules
    ├── StaleVersion             the caller's expected version is not the current one (412)
    └── ConcurrentUpdate         someone else changed or decided it first (409)

The engine speaks in codes and parameters: every error carries a :class:`Problem`
(``error.problem``), every wrong field of :class:`InvalidInput` one too, and every unmet
requirement a code of its kind. Their English, for logs, the CLI and the API's ``message``,
comes from one table of templates, :data:`MESSAGES`; the web layer words the codes itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

#: every code the engine can report → its English template (``str.format`` fields from the
#: problem's parameters; a list parameter is written comma-separated). Requirement kinds add
#: theirs with :func:`register_messages`.
MESSAGES: dict[str, str] = {
    # what is wrong with one field (InvalidInput.fields)
    "required": "must not be empty",
    "too_long": "must be at most {max} characters",
    "text_too_long": "must be text of at most {max} characters",
    "too_short": "must be at least {min} characters",
    "length_between": "must be {min} to {max} characters",
    "not_text": "must be text",
    "not_whole_number": "must be a whole number",
    "not_amount": "must be an amount in NOK, e.g. 1500000 or 1500000.50",
    "negative": "must not be negative",
    "not_date": "must be a date as YYYY-MM-DD",
    "not_boolean": "must be true or false",
    "not_web_address": "must be a web address starting with http:// or https://",
    "not_one_of": "must be one of {choices}",
    "not_email": "must be an email address",
    "not_group_name": "must be lower-case letters, digits and '_'",
    "not_organisation_key": "must be lower-case letters, digits, '_' or '-'",
    "number_from": "must be a whole number from {min}",
    "number_between": "must be a whole number from {min} to {max}",
    "unknown_field": "unknown field for definition '{definition}'",
    "group_needed": "a gatekeeper needs a group, e.g. kommune or ntnu",
    "email_taken": "a user with {email} exists already",
    "unknown_organisation_key": "no organisation '{key}'",
    "organisation_key_taken": "an organisation with key '{key}' exists already",
    "unknown_organisation": "no organisation with id {organisation}",
    "already_partner": "'{organisation}' is already a partner of the project",
    "organisation_inactive": "organisation {organisation} is deactivated",
    "choose_gate": "choose one of {gates}",
    "unknown_gate": "stage '{stage}' has no gate '{gate}'",
    "comment_required": "a comment is required to {decision}: say why, for the owner",
    "scores_not_mapping": "must map each criterion to a score from 1 to 5",
    "unknown_criterion": "gate '{gate}' has no criterion '{criterion}'",
    "not_score": "must be a whole number from 1 to 5",
    "score_missing": "a go needs a score from 1 to 5 for every criterion",
    "below_pass_score": (
        "the weighted score {score:.2f} is below the gate's pass score {pass_score:.2f}; "
        "a go needs at least that — choose hold, recycle or kill instead"
    ),
    "version_mismatch": "differs from the If-Match header",
    "too_few_organisations": "too few '{type}' organisations registered",
    "no_gatekeepers": "the demo lacks gatekeepers of group '{group}'",
    "unknown_time_zone": "unknown time zone '{zone}'",
    "not_http_url": "must start with http:// or https://",
    "not_database_url": "must be sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
    "no_directory": "the directory '{directory}' does not exist",
    "not_one_line": "must be one line, without control characters",
    "not_smtp_url": "must look like smtp://host:port",
    "not_time_of_day": "must be a time of day as HH:MM, e.g. 06:00",
    "not_day_count": "must be a whole number of days, 1 or more",
    "days_between": "must be a whole number of days, {min} to {max}",
    "required_in_production": "is required when SAMSPILL_ENV=production",
    "keys_too_short": "must be comma-separated keys of at least {min} characters each",
    # whole errors (WorkflowError.problem)
    "invalid_input": "some values were not accepted",
    "invalid_definition": "{count} problem(s) in the definition files",
    "version_in_use": (
        "{definition}.yaml: version: the file changed but version {version} is used by "
        "{projects} project(s); bump 'version' to {next}"
    ),
    "no_project": "project {project} does not exist",
    "no_user": "no active user {user}",
    "no_token": "no active token matches",
    "no_organisation": "organisation {organisation} does not exist",
    "no_definition": "unknown definition '{definition}'",
    "no_definition_version": "unknown definition '{definition} v{version}'",
    "no_checklist_item": "stage '{stage}' has no checklist item '{item}'",
    "no_partner": "project {project} has no partner {partner}",
    "not_owner": "only the project's owner may change project {project}",
    "owner_cannot_decide": "an owner never decides on their own project",
    "owner_cannot_resume": "an owner cannot resume their own project; a gatekeeper does",
    "not_in_quorum": "only gatekeepers of {groups} decide at gate '{gate}'",
    "not_resuming_gatekeeper": "only a gatekeeper of the gate that parked it may resume it",
    "coordinators_only": "only coordinators and admins register organisations",
    "admins_only": "only admins may see the outbox and the job runs",
    "status_forbids": "'{trigger}' is not allowed while '{status}' (project {project})",
    "stage_not_left": "'{trigger}' does not leave stage '{stage}' (project {project})",
    "part_frozen": "{part} cannot change while '{status}' (project {project})",
    "requirements_unmet": "gate '{gate}' has unmet requirements: {unmet}",
    "stale_version": (
        "project {project} is at version {actual}, not {expected}; reload and try again"
    ),
    "changed_meanwhile": "project {project} was changed by someone else; reload it",
    "already_decided": (
        "project {project} is not awaiting a decision (status '{status}'); "
        "the gate was already decided"
    ),
    "already_voted": "you have already voted at gate '{gate}'",
    "batch_raced": "projects changed meanwhile; run it again",
    # conflict of interest
    "conflict_of_interest": (
        "you have a conflict of interest at gate '{gate}': {name} (organisation "
        "{organisation}) is a partner in the project"
    ),
    "conflict_of_interest_owner": (
        "you have a conflict of interest at gate '{gate}': {name} (organisation "
        "{organisation}) is the project owner's organisation"
    ),
    # partner suggestions: why an organisation is suggested (workflow.matching)
    "shared_keywords": "its keywords appear in the project: {keywords}",
    "similar_text": "its profile and earlier projects resemble this project's text",
    "needed_by_gate": "the gate '{gate}' needs a partner of type '{type}'",
    "same_area": "works in the thematic area '{area}'",
    "past_projects_in_area": "took part in {count} completed project(s) in '{area}'",
    "approved_research": "an approved research organisation (Research Council)",
    # organisation registry
    "not_list": "must be a list",
    "too_many": "must have at most {max} entries",
    "keyword_wrong": "each keyword must be one line of at most {max} characters",
    "not_contact": "must be a contact: name, and optionally email and role",
    "not_org_number": "must be a Norwegian organisation number: 9 digits, valid check digit",
    "org_number_taken": "organisation number {org_number} belongs to '{organisation}' already",
    "parent_cycle": "an organisation cannot be its own parent or below itself in the tree",
    "unknown_organisation_field": "organisations have no such field",
    "organisation_merged": "was merged into organisation {into}",
    "merge_into_itself": "an organisation cannot be merged into itself",
    # applications
    # -- the call's rules for an application (workflow.domain.call_rules)
    "application_complete": "the application gives its amounts and dates",
    "application_fields_missing": "the application lacks {fields}",
    "call_rule_needs": "needs {fields} to be checked",
    "call_open": "the call is open until {deadline}",
    "call_not_open_yet": "the call opens on {opens_on}",
    "call_closed": "the call closed at {deadline}",
    "own_share_enough": (
        "own share {own_share} NOK is at least {required} NOK ({percent} % of the budget "
        "for a '{type}' applicant)"
    ),
    "own_share_too_small": (
        "own share {own_share} NOK is below {required} NOK ({percent} % of the budget "
        "for a '{type}' applicant)"
    ),
    "applicant_type_not_supported": "the call gives no support to a '{type}' applicant",
    "applicant_unknown": "the applicant's organisation is not known: name the applicant",
    "start_in_window": "the planned start {start} lies in the call's start window",
    "start_too_early": "the planned start {start} is before the call's earliest start {earliest}",
    "start_too_late": "the planned start {start} is after the call's latest start {latest}",
    "end_in_time": "the planned end {end} is no later than the call allows",
    "end_too_late": "the planned end {end} is after the call's latest end {latest}",
    "partners_as_required": "the organisation types the call requires take part",
    "partners_lacking": "the call requires partners of type {types}",
    "amount_in_range": "the applied amount {amount} NOK is within the call's range",
    "amount_too_small": "the applied amount {amount} NOK is below the call's minimum {min} NOK",
    "amount_too_large": "the applied amount {amount} NOK is above the call's maximum {max} NOK",
    # -- applications: the use cases' refusals
    "no_call": "call {call} does not exist",
    "no_application": "project {project} has no application {application}",
    "application_in_progress": (
        "the project has an application in progress already (application {application}, "
        "'{status}'); withdraw it first"
    ),
    "application_status_forbids": (
        "'{action}' is not possible while application {application} is '{status}'"
    ),
    "call_rules_unmet": "application {application} does not meet its call's rules: {unmet}",
    "granted_above_applied": "must not exceed the applied amount {applied} NOK",
    "end_before_start": "must not be before the planned start",
    "coordinators_record_outcomes": "only coordinators and admins record a funder's decision",
    "not_financing": "each entry needs organisation_id, and cash and in_kind in NOK",
    "not_budget_line": "each line needs a category and an amount in NOK",
    "not_panel_scores": "must map each criterion to a number",
    "unknown_application_field": "applications have no such field",
    # -- requirement kinds application and call_rules
    "application_missing": "the project has no application yet",
    "application_status_is": "the current application is '{status}'",
    "application_status_not": "the current application is '{status}', not one of {wanted}",
    "call_rules_met": "the current application meets its call's rules",
    "call_rules_broken": "the current application breaks its call's rules: {rules}",
    # calls
    "calls_coordinators_only": "only coordinators and admins register and change calls",
    "unknown_call_field": "calls have no such field",
    "not_moment": "must be a date and time with a UTC offset, e.g. 2025-09-24T13:00:00+02:00",
    "not_title": 'must be a title as {{"nb": ..., "en": ...}}',
    "not_type_map": "must map organisation types ({choices}) to values",
    "not_rate": "must be a share of the budget from 0 to 1, e.g. 0.5",
    "not_attachment_keys": "must be a list of keys: lower-case letters, digits and '_'",
    "deadline_before_opening": "must be after the opening day {opens_on}",
    "decision_before_deadline": "must not be before the deadline",
    "latest_start_before_earliest": "must not be before the earliest start",
    "latest_end_before_start": "must be after the latest start",
    "max_below_min": "must not be below the minimum amount",
    "year_between": "must fall in the years {min} to {max}",
    # reports
    "report_no_end_date": (
        "the final report is due one month after the project's end: give the current "
        "application a planned_end, or fill in the date field 'project_end'"
    ),
    "final_report_exists": "the project has a final report already (report {report})",
    "report_before_project_start": (
        "a progress report is due once the project has started ({start})"
    ),
    "report_after_project_end": "a progress report is due before the project ends ({end})",
    "final_report_derived": (
        "a final report's due date is derived from the project's end date; leave it out"
    ),
    "no_report": "project {project} has no report {report}",
    "report_not_due": "report {report} is '{report_status}'; only a due report can be delivered",
    "report_not_delivered": (
        "report {report} is '{report_status}'; only a delivered report can be approved"
    ),
    "not_report_writer": "only the project's owner or a coordinator adds its reports",
    "coordinators_approve_reports": "only coordinators and admins approve reports",
    "owner_cannot_approve_report": "an owner never approves the reports of their own project",
    # --- open data (issue #17): the public portfolio and a person's data ---
    "coordinators_publish": "only coordinators and admins publish a project",
    "already_published": "project {project} is published already",
    "not_published": "project {project} is not published",
    "no_person": "no one is registered with the email {email}",
    "admins_only_personal_data": "only admins export or erase a person's data",
    "person_erased": "{email} is erased already",
    "erase_chain_broken": (
        "nothing erased: the audit trail of project {project} does not verify ({reason})"
    ),
    # discussion, requests for information, conditional go (migration 0010)
    "not_in_review_for_question": "project {project} awaits no gate decision to ask about",
    "not_gatekeeper_of_pending_gate": (
        "only gatekeepers of the pending gate '{gate}' ask for information"
    ),
    "no_question": "project {project} has no question {question}",
    "question_answered": "question {question} is answered already",
    "owner_answers": "only the project's owner answers its questions",
    "conditions_only_with_go": "conditions come only with a go",
    "too_many_conditions": "at most {max} conditions",
    "not_condition": 'must be a list of {{"text", "responsible_id", "due_on"}}',
    "no_follow_up": "project {project} has no follow-up {follow_up}",
    "follow_up_closed": "follow-up {follow_up} is closed already",
    "not_follow_up_closer": "only the responsible user or a coordinator closes a follow-up",
    "no_comment": "project {project} has no comment {comment}",
    # --- lessons learned (issue 13) ---
    "lesson_tags": "must be a list of at most {max} tags of 1 to {length} characters",
    "lesson_empty": "write at least one of worked, did_not_work and advice",
    # -- benefit realisation (issue 13) --
    "unknown_benefit_field": "benefits have no such field",
    "not_benefit_point": 'must be {{"value": number, "on": "YYYY-MM-DD"}} or null',
    "not_number": "must be a number, e.g. 12 or 12.5",
    "baseline_not_before_change": (
        "the baseline must be measured before the change takes effect ({change_on})"
    ),
    "deviation_needs_comment": (
        "the measurement misses the target {target} (due {target_on}): explain the deviation"
    ),
    "no_benefit": "project {project} has no benefit {benefit}",
    "not_benefit_writer": "only the project's owner or the benefit's owner changes a benefit",
    # governance: substitutes
    "not_gatekeeper": "only a gatekeeper of a group names a substitute",
    "substitute_is_self": "a gatekeeper cannot be their own substitute",
    "substitute_period_backwards": "must not be before 'from'",
    "substitute_period_past": "must not be in the past",
    "substitute_period_too_long": "a substitute is named for at most {max} days at a time",
    "no_substitute": "you have no substitute",
    # governance: thematic areas
    "admins_maintain_areas": "only admins maintain the thematic areas",
    "not_area_key": "must be lower-case letters, digits and '_', starting with a letter",
    "area_taken": "the thematic area '{key}' exists already",
    "area_ends_before_start": "must not be before 'valid_from'",
    "no_area": "there is no thematic area '{area}'",
    # --- project room (issue #14): roles and attachments ---
    "no_attachment": "project {project} has no attachment {attachment}",
    "no_such_user": "there is no user {user}",
    "no_user_with_email": "no active user has the address {email}",
    "not_user_id": "must be a user id (an integer) or null",
    "file_type_not_allowed": "files of this type are not accepted (allowed: {choices})",
    "file_empty": "the file is empty",
    "file_content_mismatch": "the file's content is not a valid .{extension} file",
    "file_too_large": "the file is larger than {max_mb} MB",
    "not_object": "must be a JSON object",
    # --- single sign-on (issue #17) ---
    "not_role_map": "rule '{rule}' is not CLAIM:VALUE=ROLE or CLAIM:VALUE=gatekeeper/GROUP",
    "needs_oidc": "can only be off when SAMSPILL_OIDC_ISSUER is set",
    "no_file": "names no readable file",
    "secret_or_key": "set SAMSPILL_OIDC_CLIENT_SECRET or SAMSPILL_OIDC_PRIVATE_KEY",
    "not_yourself": "an admin cannot deactivate themselves",
}


def register_messages(templates: Mapping[str, str]) -> None:
    """Add the English templates of more codes (a requirement kind's) to :data:`MESSAGES`.

    Raises:
        ValueError: a code is already registered with another template.
    """
    for code, template in templates.items():
        if MESSAGES.setdefault(code, template) != template:
            raise ValueError(f"message code '{code}' is registered twice")


def english(code: str, params: Mapping[str, Any]) -> str:
    """The English text of ``code`` with ``params`` filled in (lists comma-separated)."""
    values = {
        k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in params.items()
    }
    return MESSAGES[code].format_map(values)


@dataclass(frozen=True)
class Problem:
    """What is wrong, as a code of :data:`MESSAGES` and the values its wording needs.

    Attributes:
        code: a stable key, e.g. ``too_long``.
        params: JSON-friendly values, e.g. ``{"max": 200}``.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise KeyError(f"unknown message code '{self.code}'")

    @property
    def text(self) -> str:
        """The problem in English."""
        return english(self.code, self.params)

    def __str__(self) -> str:
        return self.text

    def as_dict(self) -> dict[str, Any]:
        """``{"code": …, "params": {…}}`` for JSON."""
        return {"code": self.code, "params": dict(self.params)}


class WorkflowError(Exception):
    """Base class of every error the engine raises on purpose.

    Args:
        problem: the code of what went wrong (a key of :data:`MESSAGES`).
        **params: the values its wording needs.

    Attributes:
        code: the error's class, stable and machine-readable: the API's ``error.code``.
        problem: what exactly went wrong, as a code and parameters.
    """

    code: ClassVar[str] = "workflow_error"

    def __init__(self, problem: str, /, **params: Any) -> None:
        self.problem = Problem(problem, params)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """What went wrong, in English (logs, the CLI, the API's ``message``)."""
        return self.problem.text


class DefinitionError(WorkflowError):
    """One or more definition files are invalid.

    Attributes:
        problems: each problem as a ``FILE: WHERE: WHAT`` line.
    """

    code = "invalid_definition"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid_definition", count=len(self.problems))

    @property
    def message(self) -> str:
        """Every problem, one ``FILE: WHERE: WHAT`` line each."""
        return "\n".join(self.problems)


class DefinitionConflict(WorkflowError):
    """A definition file changed without a version bump while projects use that version."""

    code = "definition_conflict"


class NotFound(WorkflowError):
    """The project, user, organisation, gate or item does not exist."""

    code = "not_found"


class PermissionDenied(WorkflowError):
    """The actor's role or relation to the project does not allow the operation."""

    code = "forbidden"


class InvalidInput(WorkflowError):
    """Input values are wrong.

    Args:
        fields: field name → what is wrong with it.

    Attributes:
        fields: field name → :class:`Problem`.
    """

    code = "invalid_input"

    def __init__(self, fields: Mapping[str, Problem]) -> None:
        self.fields = dict(fields)
        super().__init__("invalid_input")

    @property
    def message(self) -> str:
        """Each field and what is wrong with it, in English: ``title: must not be empty``."""
        return "; ".join(f"{k}: {v.text}" for k, v in self.fields.items())


class Duplicate(InvalidInput):
    """A value that must be unique is taken already (an organisation key, a user's email)."""

    code = "duplicate"


class TransitionNotAllowed(WorkflowError):
    """The operation is not allowed in the project's current status or stage."""

    code = "not_allowed"


@dataclass(frozen=True)
class Unmet:
    """One requirement of a gate that a project does not meet yet.

    Attributes:
        kind: ``field``, ``checklist``, ``partners``, ``compare``, … (a requirement kind).
        key: the field, checklist item, organisation type or comparison.
        code: why it is unmet, a code of :data:`MESSAGES`.
        params: values for its wording (e.g. needed and present partner counts).
    """

    kind: str
    key: str
    code: str
    params: Mapping[str, Any]

    @property
    def reason(self) -> str:
        """What is missing, in English."""
        return english(self.code, {"key": self.key, **self.params})

    def as_dict(self) -> dict[str, Any]:
        """Return the requirement as plain data for JSON."""
        return {
            "kind": self.kind,
            "key": self.key,
            "reason": self.reason,
            **self.params,
            "code": self.code,
            "params": dict(self.params),
        }


class GateNotSatisfied(WorkflowError):
    """A submission was refused because the gate's requirements are not all met.

    Attributes:
        gate: the gate's key.
        unmet: every unmet requirement, as data.
    """

    code = "requirements_unmet"

    def __init__(self, gate: str, unmet: Sequence[Unmet]) -> None:
        self.gate = gate
        self.unmet = list(unmet)
        listed = [f"{u.kind} {u.key}" for u in self.unmet]
        super().__init__("requirements_unmet", gate=gate, unmet=listed)


class CallRulesNotMet(GateNotSatisfied):
    """An application's submission was refused because it breaks its call's rules (422).

    Attributes:
        application: the application's id.
        unmet: every unmet rule, kind ``call_rules`` and the rule as key.
    """

    code = "call_rules_unmet"

    def __init__(self, application: int, unmet: Sequence[Unmet]) -> None:
        self.gate = "call_rules"
        self.application = application
        self.unmet = list(unmet)
        WorkflowError.__init__(
            self, "call_rules_unmet", application=application, unmet=[u.key for u in self.unmet]
        )


class StaleVersion(WorkflowError):
    """The caller acted on an older version of the project than the stored one."""

    code = "stale_version"

    def __init__(self, project_id: int, expected: int, actual: int) -> None:
        self.project_id = project_id
        self.expected = expected
        self.actual = actual
        super().__init__("stale_version", project=project_id, expected=expected, actual=actual)


class ConcurrentUpdate(WorkflowError):
    """Another change to the same project or gate won; this one was not applied."""

    code = "conflict"


# --- project room (issue #14) ---
class TooLarge(InvalidInput):
    """An upload is larger than ``SAMSPILL_MAX_UPLOAD_MB`` (HTTP 413)."""

    code = "too_large"

    def __init__(self, max_mb: int) -> None:
        self.max_mb = max_mb
        super().__init__({"file": Problem("file_too_large", {"max_mb": max_mb})})
