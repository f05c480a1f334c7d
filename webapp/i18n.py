"""The page language and how the pages word what the engine says in codes.

The engine names statuses, decisions, organisation types, thematic areas and roles by key
and reports every error and requirement as a code with parameters
(:class:`workflow.Problem`, a criterion's ``code``); this module words them through the
Babel catalogues, bokmål by default and English by choice. The keys come from the engine;
``tests/web/test_wording.py`` checks that each is worded in both catalogues.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

import workflow
from workflow import Definition, Gate, Problem

#: the engine's vocabularies: name → its keys, in the engine's order
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "status": workflow.STATUSES,
    "decision": workflow.DECISIONS,
    "organisation_type": workflow.ORGANISATION_TYPES,
    "thematic_area": workflow.THEMATIC_AREAS,
    "role": workflow.ROLES,
    "partner_status": workflow.PARTNER_STATUSES,
    # applications
    "application_status": workflow.APPLICATION_STATUSES,
    "budget_category": workflow.BUDGET_CATEGORIES,
    # reports
    "report_kind": workflow.REPORT_KINDS,
    "report_status": workflow.REPORT_STATUSES,
    # benefit realisation (issue 13)
    "benefit_type": workflow.BENEFIT_TYPES,
    "chain_link": workflow.CHAIN_LINKS,
}

#: each vocabulary's words, by the engine's key
WORDS: dict[str, dict[str, LazyString]] = {
    "status": {
        "active": _l("Active"),
        "in_review": _l("In review"),
        "on_hold": _l("On hold"),
        "killed": _l("Killed"),
        "completed": _l("Completed"),
    },
    "partner_status": {
        "invited": _l("Invited"),
        "confirmed": _l("Confirmed"),
        "letter_of_intent": _l("Letter of intent"),
    },
    "decision": {
        "go": _l("Go"),
        "kill": _l("Kill"),
        "hold": _l("Hold"),
        "recycle": _l("Recycle"),
    },
    "organisation_type": {
        "public": _l("Public sector"),
        "research": _l("Research"),
        "business": _l("Business"),
        "civil_society": _l("Civil society"),
        "citizens": _l("Citizens"),
    },
    "thematic_area": {
        "oppvekst_utdanning": _l("Education and upbringing"),
        "helse_velferd": _l("Health and welfare"),
        "byutvikling": _l("Urban development"),
        "innovasjon": _l("Innovation"),
        "smartby": _l("Smart city"),
        "unikom": _l("Unikom"),
    },
    # applications
    "application_status": {
        "draft": _l("Draft"),
        "submitted": _l("Submitted"),
        "granted": _l("Granted"),
        "rejected": _l("Rejected"),
        "withdrawn": _l("Withdrawn"),
    },
    "budget_category": {
        "salaries": _l("Salaries"),
        "rnd_services": _l("Bought R&D services"),
        "equipment": _l("Equipment"),
        "other": _l("Other costs"),
    },
    "role": {
        "owner": _l("Project owner"),
        "gatekeeper": _l("Gatekeeper"),
        "coordinator": _l("Coordinator"),
        "admin": _l("Administrator"),
    },
    # reports
    "report_kind": {
        "progress": _l("Progress report"),
        "final": _l("Final report"),
    },
    "report_status": {
        "due": _l("Not delivered"),
        "delivered": _l("Delivered"),
        "approved": _l("Approved"),
    },
    # benefit realisation (issue 13)
    "benefit_type": {
        "efficiency": _l("Efficiency (NOK)"),
        "quality": _l("Quality"),
        "other_actors": _l("Benefit for other actors"),
    },
    "chain_link": {
        "input": _l("Input"),
        "activity": _l("Activity"),
        "output": _l("Product or service"),
        "user_effect": _l("User effect"),
        "societal_effect": _l("Societal effect"),
    },
    # issue 15: gatekeeper groups by their label (a key not listed is shown as it is)
    "group": {
        "kommune": _l("Municipality"),
        "ntnu": _l("NTNU"),
        "fylke": _l("County"),
        # issue 16: MDI's decisions are the employee's line manager's
        "leder": _l("Line manager"),
    },
}


def group_label(key: str | None) -> str:
    """A gatekeeper group's name in the page language (``kommune`` → ``Kommunen``)."""
    if not key:
        return ""
    label = WORDS["group"].get(key)
    return str(label) if label is not None else key


_STALE = _l(
    "Someone else changed this project in the meantime. Here is the current "
    "version; please try again."
)
_ALREADY = _l(
    "That was already done or decided in the meantime (perhaps your vote is already "
    "recorded, or the gate was decided). Here is the current state."
)
_FILLED = _l("“%(field)s” filled in")
_TICKED = _l("“%(field)s” ticked")
_ITEM = _l("Checklist: %(item)s")
_PARTNERS = _l("At least %(needed)s partner(s) of type %(type)s (has %(present)s)")
_CONDITION = _l("Condition: %(field)s %(op)s %(right)s")
_REPORT = _l("Report needed: %(kind)s, %(status)s")

#: every code the engine reports (``workflow.errors.MESSAGES``) → its words on a page
CODES: dict[str, LazyString] = {
    "required": _l("Must not be empty."),
    "too_long": _l("Must be at most %(max)s characters."),
    "text_too_long": _l("Must be at most %(max)s characters."),
    "too_short": _l("Must be at least %(min)s characters."),
    "length_between": _l("Must be %(min)s to %(max)s characters."),
    "not_text": _l("Must be text."),
    "not_whole_number": _l("Must be a whole number."),
    "not_amount": _l("Must be an amount in NOK, e.g. 1500000 or 1500000,50."),
    "negative": _l("Must not be negative."),
    "not_date": _l("Must be a date."),
    "not_boolean": _l("Must be yes or no."),
    "not_web_address": _l("Must be a web address starting with http:// or https://."),
    "not_one_of": _l("Choose one of the options."),
    "not_email": _l("Must be an email address."),
    "not_group_name": _l("Must be lower-case letters, digits and _."),
    "not_organisation_key": _l("Must be lower-case letters, digits, _ or -."),
    "number_from": _l("Must be a whole number from %(min)s."),
    "number_between": _l("Must be a whole number from %(min)s to %(max)s."),
    "unknown_field": _l("This form has no such field."),
    "group_needed": _l("A gatekeeper needs a group, e.g. kommune or ntnu."),
    "email_taken": _l("A user with %(email)s exists already."),
    "unknown_organisation_key": _l("There is no organisation “%(key)s”."),
    "organisation_key_taken": _l("An organisation with the key “%(key)s” exists already."),
    "unknown_organisation": _l("Choose an organisation from the list."),
    "already_partner": _l("That organisation is already a partner of the project."),
    "organisation_inactive": _l("That organisation is deactivated; choose another."),
    "choose_gate": _l("Choose which gate to submit to."),
    "unknown_gate": _l("This stage has no such gate."),
    "comment_required": _l("A comment is required for kill and recycle: tell the owner why."),
    "scores_not_mapping": _l("Choose a score from 1 to 5 for each criterion."),
    "unknown_criterion": _l("This gate has no such criterion."),
    "not_score": _l("Choose a score from 1 to 5."),
    "score_missing": _l("A go needs a score from 1 to 5 for every criterion."),
    "below_pass_score": _l(
        "The weighted score %(score)s is below the gate's pass score %(pass_score)s. "
        "A go needs at least that; choose hold, recycle or kill instead."
    ),
    "version_mismatch": _l("The version differs from the If-Match header."),
    "too_few_organisations": _l("Too few organisations of type %(type)s are registered."),
    "no_gatekeepers": _l("The demo lacks gatekeepers of the group %(group)s."),
    "unknown_time_zone": _l("Unknown time zone “%(zone)s”."),
    "not_http_url": _l("Must start with http:// or https://."),
    "not_database_url": _l("Must be sqlite:///PATH or postgresql+psycopg://USER@HOST/DB."),
    "no_directory": _l("The directory “%(directory)s” does not exist."),
    "not_one_line": _l("Must be one line, without line breaks or control characters."),
    "not_smtp_url": _l("Must look like smtp://host:port."),
    "not_time_of_day": _l("Must be a time of day as HH:MM, e.g. 06:00."),
    "not_day_count": _l("Must be a whole number of days, 1 or more."),
    "days_between": _l("Must be a whole number of days from %(min)s to %(max)s."),
    "required_in_production": _l("Is required in production."),
    "keys_too_short": _l("Must be comma-separated keys of at least %(min)s characters each."),
    "invalid_input": _l("Some of what you sent was not accepted:"),
    "invalid_definition": _l("%(count)s problem(s) in the definition files."),
    "version_in_use": _l(
        "The collaboration form %(definition)s changed, but version %(version)s is used by "
        "%(projects)s project(s); raise its version to %(next)s."
    ),
    "no_project": _l("Project %(project)s does not exist."),
    "no_user": _l("There is no active user %(user)s."),
    "no_token": _l("No active API token matches."),
    "no_organisation": _l("Organisation %(organisation)s does not exist."),
    "no_definition": _l("There is no collaboration form “%(definition)s”."),
    "no_definition_version": _l(
        "There is no version %(version)s of the collaboration form “%(definition)s”."
    ),
    "no_checklist_item": _l("This stage has no such checklist item."),
    "no_partner": _l("The project has no such partner."),
    "not_owner": _l("Only the project's owner may change it."),
    "owner_cannot_decide": _l("An owner never decides on their own project."),
    "owner_cannot_resume": _l("An owner cannot resume their own project; a gatekeeper does."),
    "not_in_quorum": _l("Only gatekeepers of %(groups)s decide at this gate."),
    "not_resuming_gatekeeper": _l(
        "Only a gatekeeper of the gate that put it on hold may resume it."
    ),
    "coordinators_only": _l("Only coordinators and administrators register organisations."),
    "admins_only": _l("Only administrators may see the outbox and the job runs."),
    "status_forbids": _l("That is not possible in the project's current status (%(status)s)."),
    "stage_not_left": _l("That gate does not lead out of the project's current stage."),
    "part_frozen": _l("This cannot change in the project's current status (%(status)s)."),
    "requirements_unmet": _l(
        "The gate's requirements are not all met yet; see what is missing below."
    ),
    "stale_version": _STALE,
    "changed_meanwhile": _STALE,
    "already_decided": _ALREADY,
    "already_voted": _ALREADY,
    "batch_raced": _l("Projects changed in the meantime; run it again."),
    # requirements: what a gate asks for, shown with a mark for met or not
    "field_filled": _FILLED,
    "field_empty": _FILLED,
    "field_ticked": _TICKED,
    "field_unticked": _TICKED,
    "item_done": _ITEM,
    "item_open": _ITEM,
    "partners_enough": _PARTNERS,
    "partners_missing": _PARTNERS,
    "partners_status_missing": _l(
        "At least %(needed)s partner(s) of type %(type)s that have come as far as "
        "“%(status)s” (has %(present)s)"
    ),
    "partners_approval_missing": _l(
        "At least %(needed)s partner(s) of type %(type)s that are approved research "
        "organisations (has %(present)s)"
    ),
    "compare_holds": _CONDITION,
    "compare_fails": _CONDITION,
    "compare_unfilled": _CONDITION,
    "compare_not_applicable": _l("does not apply while %(when)s is not %(equals)s"),
    # conflict of interest
    "conflict_of_interest": _l(
        "You have a conflict of interest: %(name)s is a partner in this project, so you "
        "cannot vote at this gate."
    ),
    "conflict_of_interest_owner": _l(
        "You have a conflict of interest: %(name)s is the project owner's organisation, so "
        "you cannot vote at this gate."
    ),
    # partner suggestions: why an organisation is suggested
    "shared_keywords": _l("Its keywords appear in the project: %(keywords)s."),
    "similar_text": _l("Its profile and earlier projects resemble this project."),
    "needed_by_gate": _l("The gate “%(gate)s” needs a partner of type %(type)s."),
    "same_area": _l("Works in the thematic area %(area)s."),
    "past_projects_in_area": _l("Took part in %(count)s completed project(s) in %(area)s."),
    "approved_research": _l("An approved research organisation (Research Council)."),
    # organisation registry
    "not_list": _l("Must be a list."),
    "too_many": _l("At most %(max)s entries."),
    "keyword_wrong": _l("Each keyword must be one line of at most %(max)s characters."),
    "not_contact": _l("A contact needs a name, and may have an email address and a role."),
    "not_org_number": _l(
        "Must be a Norwegian organisation number: 9 digits with a valid check digit."
    ),
    "org_number_taken": _l(
        "The organisation number %(org_number)s belongs to “%(organisation)s” already."
    ),
    "parent_cycle": _l("An organisation cannot be its own parent or lie below itself."),
    "unknown_organisation_field": _l("Organisations have no such field."),
    "organisation_merged": _l("This organisation was merged into another one."),
    "merge_into_itself": _l("An organisation cannot be merged into itself."),
    # applications
    "application_complete": _l("The application gives its amounts and dates."),
    "application_fields_missing": _l("The application lacks: %(fields)s."),
    "call_rule_needs": _l("Needs %(fields)s to be checked."),
    "call_open": _l("The call is open until %(deadline)s."),
    "call_not_open_yet": _l("The call opens on %(opens_on)s."),
    "call_closed": _l("The call closed at %(deadline)s."),
    "own_share_enough": _l(
        "Own share %(own_share)s is at least %(required)s (%(percent)s %% of the budget)."
    ),
    "own_share_too_small": _l(
        "Own share %(own_share)s is below %(required)s (%(percent)s %% of the budget)."
    ),
    "applicant_type_not_supported": _l(
        "The call gives no support to an applicant of type %(type)s."
    ),
    "applicant_unknown": _l("The applicant's organisation is not known: choose the applicant."),
    "start_in_window": _l("The planned start %(start)s lies in the call's start window."),
    "start_too_early": _l(
        "The planned start %(start)s is before the call's earliest start %(earliest)s."
    ),
    "start_too_late": _l(
        "The planned start %(start)s is after the call's latest start %(latest)s."
    ),
    "end_in_time": _l("The planned end %(end)s is no later than the call allows."),
    "end_too_late": _l("The planned end %(end)s is after the call's latest end %(latest)s."),
    "partners_as_required": _l("The organisation types the call requires take part."),
    "partners_lacking": _l("The call requires partners of type: %(types)s."),
    "amount_in_range": _l("The applied amount %(amount)s is within the call's range."),
    "amount_too_small": _l("The applied amount %(amount)s is below the call's minimum %(min)s."),
    "amount_too_large": _l("The applied amount %(amount)s is above the call's maximum %(max)s."),
    "no_application": _l("The project has no such application."),
    "application_in_progress": _l(
        "The project has an application in progress already; withdraw it first."
    ),
    "application_status_forbids": _l("That is not possible for an application that is %(status)s."),
    "call_rules_unmet": _l(
        "The application does not meet the call's rules; see what is missing below."
    ),
    "granted_above_applied": _l("Must not exceed the applied amount %(applied)s."),
    "end_before_start": _l("Must not be before the planned start."),
    "coordinators_record_outcomes": _l(
        "Only coordinators and administrators record a funder's decision."
    ),
    "not_financing": _l("Each entry needs an organisation, and cash and in-kind amounts in NOK."),
    "not_budget_line": _l("Each line needs a category and an amount in NOK."),
    "not_panel_scores": _l("Must give a number for each criterion."),
    "unknown_application_field": _l("Applications have no such field."),
    "application_missing": _l("The project has an application"),
    "application_status_is": _l("The current application is %(status)s"),
    "application_status_not": _l("The current application is %(status)s, not %(wanted)s"),
    "call_rules_met": _l("The current application meets its call's rules"),
    "call_rules_broken": _l("The current application meets its call's rules (broken: %(rules)s)"),
    # calls
    "calls_coordinators_only": _l(
        "Only coordinators and administrators register and change calls."
    ),
    "no_call": _l("Call %(call)s does not exist."),
    "unknown_call_field": _l("Calls have no such field."),
    "not_moment": _l("Must be a date and time."),
    "not_title": _l("Must be a title in Norwegian and, optionally, in English."),
    "not_type_map": _l("Give values for organisation types only."),
    "not_rate": _l("Must be a share of the budget from 0 to 100 per cent."),
    "not_attachment_keys": _l("Must be keys of lower-case letters, digits and _, comma-separated."),
    "deadline_before_opening": _l("The deadline must be after the call opens."),
    "decision_before_deadline": _l("The decision cannot be expected before the deadline."),
    "latest_start_before_earliest": _l("The latest start cannot be before the earliest start."),
    "latest_end_before_start": _l("The latest end must be after the latest start."),
    "max_below_min": _l("The largest amount cannot be below the smallest."),
    "year_between": _l("Must fall in the years %(min)s to %(max)s."),
    # reports
    "report_no_end_date": _l(
        "The final report is due one month after the project's end: give the current "
        "application a planned end date, or fill in the field “project_end”."
    ),
    "final_report_exists": _l("The project has a final report already."),
    "report_before_project_start": _l(
        "A progress report is due once the project has started (%(start)s)."
    ),
    "report_after_project_end": _l("A progress report is due before the project ends (%(end)s)."),
    "final_report_derived": _l(
        "The final report's due date follows from the project's end date; leave it empty."
    ),
    "no_report": _l("The project has no such report."),
    "report_not_due": _l("This report is delivered already."),
    "report_not_delivered": _l("Only a delivered report can be approved."),
    "not_report_writer": _l("Only the project's owner or a coordinator adds its reports."),
    "coordinators_approve_reports": _l("Only coordinators and administrators approve reports."),
    "owner_cannot_approve_report": _l("An owner never approves the reports of their own project."),
    "report_far_enough": _REPORT,
    "report_missing": _REPORT,
    "report_not_far_enough": _l("Report needed: %(kind)s, %(status)s (now: %(furthest)s)"),
    # --- open data (issue #17) ---
    "coordinators_publish": _l("Only coordinators and administrators publish a project."),
    "already_published": _l("The project is published already."),
    "not_published": _l("The project is not published."),
    "no_person": _l("No one is registered with that email."),
    "admins_only_personal_data": _l("Only administrators export or erase a person's data."),
    "person_erased": _l("That person is erased already."),
    "erase_chain_broken": _l(
        "Nothing was erased: the audit trail of project %(project)s does not verify."
    ),
    # the project room: discussion, requests for information, conditional go
    "not_in_review_for_question": _l("Questions are asked while the project awaits a decision."),
    "not_gatekeeper_of_pending_gate": _l(
        "Only gatekeepers of the pending gate ask for information."
    ),
    "no_question": _l("The project has no such question."),
    "question_answered": _l("This question is answered already."),
    "owner_answers": _l("Only the project's owner answers its questions."),
    "conditions_only_with_go": _l("Conditions come only with a go."),
    "too_many_conditions": _l("At most %(max)s conditions."),
    "not_condition": _l("Each condition needs a text, a responsible person and a due date."),
    "no_follow_up": _l("The project has no such follow-up."),
    "no_comment": _l("The project has no such comment."),
    "follow_up_closed": _l("This follow-up is closed already."),
    "not_follow_up_closer": _l("Only the responsible person or a coordinator closes a follow-up."),
    "follow_ups_all_closed": _l("Every condition of an earlier go is closed"),
    "follow_ups_open": _l("Every condition of an earlier go is closed (open: %(count)s)"),
    # --- lessons learned (issue 13) ---
    "lesson_tags": _l("Give at most %(max)s tags of 1 to %(length)s characters."),
    "lesson_empty": _l("Write at least one of what worked, what did not and advice."),
    "lesson_written": _l("A lesson learned is written"),
    "lesson_missing": _l("A lesson learned is needed"),
    # benefit realisation (issue 13)
    "unknown_benefit_field": _l("Benefits have no such field."),
    "not_benefit_point": _l("Give a value and a date."),
    "not_number": _l("Must be a number, e.g. 12 or 12.5."),
    "baseline_not_before_change": _l(
        "The baseline must be measured before the change takes effect (%(change_on)s)."
    ),
    "deviation_needs_comment": _l(
        "The measurement misses the target %(target)s (due %(target_on)s): explain the deviation "
        "in the comment."
    ),
    "no_benefit": _l("The project has no such benefit."),
    "not_benefit_writer": _l("Only the project's owner or the benefit's owner changes a benefit."),
    "benefits_enough": _l("At least %(min)s benefit(s) in the plan (has %(count)s)"),
    "benefits_too_few": _l("At least %(min)s benefit(s) in the plan (has %(count)s)"),
    "benefits_all_have": _l("Every benefit has its %(part)s"),
    "benefits_some_lack": _l("Every benefit has its %(part)s (%(missing)s of %(count)s lack it)"),
    "measured_after_target": _l("Every benefit measured on or after its target date"),
    "not_measured_after_target": _l(
        "Every benefit measured on or after its target date (%(missing)s of %(count)s are not)"
    ),
    "no_benefits_to_measure": _l(
        "Every benefit measured on or after its target date (no benefits)"
    ),
    # governance: substitutes
    "not_gatekeeper": _l("Only a gatekeeper of a group names a substitute."),
    "substitute_is_self": _l("You cannot be your own substitute."),
    "substitute_period_backwards": _l("Must not be before the first day."),
    "substitute_period_past": _l("Must not be in the past."),
    "substitute_period_too_long": _l("A substitute is named for at most %(max)s days at a time."),
    "no_substitute": _l("You have no substitute."),
    # governance: thematic areas
    "admins_maintain_areas": _l("Only administrators maintain the thematic areas."),
    "not_area_key": _l("Use lower-case letters, digits and '_', starting with a letter."),
    "area_taken": _l("The thematic area “%(key)s” exists already."),
    "area_ends_before_start": _l("Must not be before the first valid day."),
    "no_area": _l("There is no thematic area “%(area)s”."),
    # --- project room (issue #14): roles and attachments ---
    "role_filled": _l("Role filled: %(label)s"),
    "role_empty": _l("Role to fill: %(label)s"),
    "attachment_present": _l("Document attached: %(label)s"),
    "attachment_missing": _l("Document to attach: %(label)s"),
    # definitions v2 (issue 16): partner groups and different values
    "partner_group_enough": _l("%(label)s: at least %(needed)s (has %(present)s)"),
    "partner_group_missing": _l("%(label)s: at least %(needed)s (has %(present)s)"),
    "distinct_enough": _l("%(label)s (has %(present)s different)"),
    "distinct_too_few": _l("%(label)s (has %(present)s different)"),
    "no_attachment": _l("The project has no such attachment."),
    "no_such_user": _l("There is no such user."),
    "no_user_with_email": _l("No active user has the address %(email)s."),
    "not_user_id": _l("Choose a user or none."),
    "file_type_not_allowed": _l(
        "Files of this type are not accepted (PDF, PNG, JPEG, DOCX, XLSX, ODT or text)."
    ),
    "file_empty": _l("The file is empty."),
    "file_content_mismatch": _l("The file's content is not a valid .%(extension)s file."),
    "file_too_large": _l("The file is larger than %(max_mb)s MB."),
    "not_object": _l("Must be a JSON object."),
    # --- single sign-on (issue #17) ---
    "not_role_map": _l("Rule “%(rule)s” is not CLAIM:VALUE=ROLE or CLAIM:VALUE=gatekeeper/GROUP."),
    "needs_oidc": _l("Can only be off when single sign-on is configured."),
    "no_file": _l("Names no readable file."),
    "secret_or_key": _l("Set a client secret or a private key."),
    "not_yourself": _l("You cannot deactivate yourself."),
}


#: codes whose ``status`` is an application's (applications)
_APPLICATION_CODES = frozenset(
    {"application_status_forbids", "application_status_is", "application_status_not"}
)


def language() -> str:
    """The language of the page being rendered: ``nb`` or ``en``."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "nb"


def vocabulary(name: str) -> list[tuple[str, LazyString]]:
    """``(key, words)`` for each key of an engine vocabulary, in the engine's order."""
    return [(key, WORDS[name][key]) for key in VOCABULARIES[name]]


#: how a day reads in each language
DAY_PATTERNS = {"nb": "d. MMM y", "en": "d MMM y"}


def day(iso: str | date | None) -> str:
    """A date, or a date field's value (``YYYY-MM-DD``), as a date in the page language."""
    if not iso:
        return ""
    try:
        value = iso if isinstance(iso, date) else date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return format_date(value, DAY_PATTERNS[language()])


def decimal(value: float | None, places: int = 1) -> str:
    """A number with ``places`` decimals in the page language (``3,5`` in bokmål)."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "0" * places, locale=get_locale())


def number(value: Any) -> str:
    """A count or quantity in the page language, its groups parted: ``10 000`` in bokmål
    (no-break spaces), ``10,000`` in English; decimals only when there are some (``2,5``)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_decimal(value, format="#,##0.###", locale=get_locale())


def money(amount: int | float | None) -> str:
    """An amount in NOK in the page language: ``1 250 000 kr`` in bokmål (the groups
    parted by no-break spaces), ``NOK 1,250,000`` in English; øre only when there are some."""
    if amount is None:
        return ""
    pattern = "#,##0" if float(amount).is_integer() else "#,##0.00"
    number = format_decimal(amount, format=pattern, locale=get_locale())
    return f"{number}\u00a0kr" if language() == "nb" else f"NOK\u00a0{number}"


def percent(share: float | None) -> str:
    """A share from 0 to 1 as a percentage in the page language: ``50 %`` in bokmål,
    ``50%`` in English (one decimal when needed: ``37,5 %``)."""
    if share is None:
        return ""
    return babel_percent(round(share, 3), locale=get_locale(), decimal_quantization=False)


def word_key(vocabulary: str, key: str | None) -> str:
    """A vocabulary key in words (the key itself when it is unknown)."""
    found = WORDS[vocabulary].get(key or "")
    return str(found) if found is not None else key or ""


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return "" if value is None else value


#: parameters that are amounts in NOK, and those that are days (ISO) or Oslo times
#: (``YYYY-MM-DD HH:MM``), wherever a code carries them
_MONEY = frozenset({"own_share", "required", "amount", "applied"})
_DAYS = frozenset({"opens_on", "start", "end", "earliest", "latest", "deadline"})


def _formatted(code: str, params: dict[str, Any]) -> dict[str, Any]:
    """Amounts as money and days as days in the page language (``6 820 000 kr``,
    ``1. feb. 2026``); a call rule's range is in money too."""
    money_keys = _MONEY | ({"min", "max"} if code.startswith("amount_") else set())
    for key, value in params.items():
        if key in money_keys and isinstance(value, int | float) and not isinstance(value, bool):
            params[key] = money(value)
        elif key in _DAYS and isinstance(value, str):
            params[key] = _day_or_moment(value)
        elif key in _SCORES and isinstance(value, int | float) and not isinstance(value, bool):
            params[key] = decimal(value, 2)  # 1,33 in bokmål
        elif key in _COUNTS and isinstance(value, int | float) and not isinstance(value, bool):
            params[key] = number(value)  # 10 000 in bokmål
    return params


#: parameters that are counts, lengths or sizes (not ids, years or versions)
_COUNTS = frozenset(
    {"max", "min", "count", "n", "needed", "present", "length", "max_mb", "days", "limit"}
)


#: parameters that are weighted scores, shown with two decimals in the page language
_SCORES = frozenset({"score", "pass_score"})


def _day_or_moment(text: str) -> str:
    try:
        return day(date.fromisoformat(text))
    except ValueError:
        pass
    try:
        moment = datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        return text
    clock = moment.strftime(" kl. %H:%M" if language() == "nb" else ", %H:%M")
    return str(format_date(moment.date(), DAY_PATTERNS[language()])) + clock


def word(problem: Problem) -> str:
    """What an engine :class:`~workflow.Problem` says, in the page language."""
    params = _formatted(problem.code, {k: _plain(v) for k, v in problem.params.items()})
    if "status" in params:
        vocabulary = "application_status" if problem.code in _APPLICATION_CODES else "status"
        params["status"] = word_key(vocabulary, params["status"])
    if "wanted" in params:  # applications
        wanted = problem.params["wanted"]
        params["wanted"] = ", ".join(word_key("application_status", w) for w in wanted)
    if "types" in params:  # applications
        params["types"] = ", ".join(
            word_key("organisation_type", t) for t in problem.params["types"]
        )
    if "type" in params:
        params["type"] = word_key("organisation_type", params["type"])
    if "area" in params:
        params["area"] = word_key("thematic_area", params["area"])
    text = str(CODES[problem.code])
    return text % params if "%(" in text else text


def localized(text: Any) -> str:
    """A definition text (``Text`` or ``{"nb":…, "en":…}``) in the page language."""
    if text is None:
        return ""
    if isinstance(text, dict):
        return str(text.get(language()) or text.get("nb") or "")
    return str(text.get(language()))


def field_label(spec: Definition, key: str) -> str:
    """A field's label in the user's language (the key for unknown fields)."""
    return spec.field(key).label.get(language()) if spec.has_field(key) else key


def item_label(spec: Definition, stage: str | None, key: str) -> str:
    """A checklist item's label in the user's language (the key for unknown items)."""
    try:
        items = {c.key: c.label.get(language()) for c in spec.stage(stage or "").checklist}
    except KeyError:
        return key
    return items.get(key, key)


#: the parts of a benefit a gate may ask for, in words (benefit realisation)
_BENEFIT_PARTS: dict[str, LazyString] = {
    "baseline": _l("baseline"),
    "target": _l("target"),
    "owner": _l("benefit owner"),
}


def describe_requirement(criterion: Mapping[str, Any], spec: Definition, stage: str) -> str:
    """A gate requirement in words, e.g. “At least 1 research partner (has 0)”.

    A comparison with its own ``label`` in the definition is shown by that label.
    """
    key, params = criterion["key"], dict(criterion.get("params") or {})
    if criterion["kind"] in ("application", "call_rules"):  # applications
        return word(Problem(criterion["code"], params))
    if criterion["kind"] == "follow_ups_closed":  # the project room
        return word(Problem(criterion["code"], params))
    if criterion["kind"] == "compare":  # a comparison's own label, or its parts in words
        return describe_comparison(criterion["code"], params, spec)
    if criterion["kind"] == "reports":
        return str(CODES[criterion["code"]]) % {
            "kind": word_key("report_kind", key),
            "status": word_key("report_status", params.get("status")),
            "furthest": word_key("report_status", params.get("furthest")),
        }
    if criterion["kind"] in ("benefits", "measurements"):  # benefit realisation
        part = _BENEFIT_PARTS.get(str(params.get("part")), "")
        return str(CODES[criterion["code"]]) % {**params, "part": part}
    if criterion["kind"] in ("roles", "attachments"):  # project room (issue #14)
        return str(CODES[criterion["code"]]) % {"label": room_label(spec, criterion["kind"], key)}
    label = params.get("label")
    if criterion["kind"] in ("partner_groups", "distinct_fields") and label:  # issue 16
        return str(CODES[criterion["code"]]) % {
            "label": localized(label),
            "needed": params.get("needed"),
            "present": params.get("present"),
        }
    other = params.get("other")
    return str(CODES[criterion["code"]]) % {
        "field": field_label(spec, params.get("field") or key),
        "item": item_label(spec, stage, key),
        "needed": params.get("needed"),
        "present": params.get("present"),
        "type": word_key("organisation_type", key),
        "status": word_key("partner_status", params.get("status")),
        "op": params.get("op", ""),
        "right": field_label(spec, other) if other else params.get("right"),
    }


#: what a comparison's ``count`` counts, in words (issue #16)
_COUNTED: dict[str, LazyString] = {"stage_round": _l("round of this stage")}


def _side(spec: Definition, key: str | None) -> str:
    if key in _COUNTED:
        return str(_COUNTED[key])
    return field_label(spec, key or "")


def describe_comparison(code: str, params: Mapping[str, Any], spec: Definition) -> str:
    """A ``compare`` requirement in words: its label when the definition gives one, else its
    two sides (``value: today`` as today's date); one that does not apply says why."""
    label, other = params.get("label"), params.get("other")
    right: Any
    if other:
        right = field_label(spec, other)
    elif params.get("today"):
        right = str(_l("today (%(day)s)")) % {"day": params.get("right")}
    else:
        right = params.get("right")
    text = (
        localized(label)
        if label
        else str(_CONDITION)
        % {
            "field": _side(spec, params.get("field")),
            "op": params.get("op", ""),
            "right": right,
        }
    )
    if code != "compare_not_applicable":
        return text
    equals = params.get("equals")
    if isinstance(equals, bool):
        equals = str(_l("ticked") if equals else _l("not ticked"))
    why = str(CODES[code]) % {
        "when": field_label(spec, str(params.get("when"))),
        "equals": equals,
    }
    return f"{text} – {why}"


def room_label(spec: Definition, kind: str, key: str) -> str:
    """A project role's or attachment type's label in the page language (issue #14)."""
    choices = spec.project_roles if kind == "roles" else spec.attachment_types
    for choice in choices:
        if choice.key == key:
            return str(getattr(choice.label, language(), None) or choice.label.nb)
    return key


def gate_requirements(spec: Definition, gate: Gate) -> list[str]:
    """What a gate requires, one phrase per requirement, in the page language (the
    definitions page; the project page words each criterion with its state instead)."""
    needs = gate.requires
    phrases = [field_label(spec, key) for key in needs.fields]
    if needs.checklist:
        phrases.append(_l("%(n)s checklist items") % {"n": len(needs.checklist)})
    for org_type, need in needs.partners.items():
        text = str(_l("%(n)s × %(type)s partner")) % {
            "n": need.min,
            "type": word_key("organisation_type", org_type),
        }
        extra = [word_key("partner_status", need.status).lower()] if need.status else []
        extra += [str(_l("approved research organisation"))] if need.approved else []
        phrases.append(f"{text} ({', '.join(extra)})" if extra else text)
    for c in needs.compare:
        if c.other:
            right: Any = field_label(spec, c.other)
        elif c.value == "today":
            right = str(_l("today"))
        else:
            right = c.value
        phrases.append(localized(c.label) if c.label else f"{_side(spec, c.field)} {c.op} {right}")
    if needs.application:
        statuses = ", ".join(
            word_key("application_status", s).lower() for s in needs.application.status
        )
        phrases.append(str(_l("an application that is %(statuses)s")) % {"statuses": statuses})
    if needs.call_rules:
        phrases.append(str(_l("the application meets its call's rules")))
    for kind, how in needs.reports.items():
        phrases.append(
            str(_l("%(report)s %(status)s"))
            % {
                "report": word_key("report_kind", kind),
                "status": word_key("report_status", how).lower(),
            }
        )
    if needs.follow_ups_closed:  # the project room
        phrases.append(str(_l("every condition of an earlier go closed")))
    if needs.benefits:  # benefit realisation
        b = needs.benefits
        parts = [str(_BENEFIT_PARTS[k]) for k in ("baseline", "target", "owner") if getattr(b, k)]
        text = str(_l("at least %(n)s benefit(s)")) % {"n": b.min}
        phrases.append(f"{text} ({', '.join(parts)})" if parts else text)
    if needs.measurements:
        phrases.append(str(_l("every benefit measured on or after its target date")))
    for group in needs.partner_groups:  # issue 16
        phrases.append(f"{group.min} × {localized(group.label)}")
    phrases.extend(localized(need.label) for need in needs.distinct_fields)
    return [str(p) for p in phrases]
