"""What the API answers: every response body, declared once for serialising and OpenAPI.

Request bodies and query strings are in :mod:`webapp.api.inputs`.
"""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import (
    Boolean,
    Date,
    DateTime,
    Dict,
    Float,
    Integer,
    List,
    Nested,
    Raw,
    String,
)

#: the 422 of an operation whose input the engine checks against the project or definition
RULE_REFUSED = (
    "Well-formed, but a rule refuses it (e.g. a field the definition does not have, a score "
    "the gate's scorecard needs, an organisation that does not exist); each field is named"
)


class Coded(Schema):
    """What is wrong with one field, as the engine's code and the values its wording needs."""

    code = String(required=True, metadata={"example": "too_long"})
    params = Dict(keys=String(), values=Raw(), required=True, metadata={"example": {"max": 200}})


class ErrorBody(Schema):
    """SPEC §4's error: a code, a message and what is wrong with each field.

    ``message`` and ``fields`` are English; ``problem``, ``params`` and ``field_codes`` carry
    the same as codes and values, for clients that word errors themselves.
    """

    code = String(required=True, metadata={"example": "invalid_input"})
    message = String(required=True)
    # SPEC names this key "fields": mypy sees it override Schema.fields (the bound fields),
    # but at run time the metaclass collects it as a declared field; each such line is ignored.
    fields = Dict(keys=String(), values=String(), required=True)  # type: ignore[assignment]
    problem = String(metadata={"description": "what exactly went wrong", "example": "not_owner"})
    params = Dict(keys=String(), values=Raw(), metadata={"example": {"project": 3}})
    field_codes = Dict(keys=String(), values=Nested(Coded))
    unmet = List(Raw(), metadata={"description": "unmet gate requirements (422 only)"})


class Error(Schema):
    """The body of every error response."""

    error = Nested(ErrorBody, required=True)


class EtagHeader(Schema):
    """The project's version as an entity tag."""

    etag = String(data_key="ETag", metadata={"description": 'the project version, e.g. "3"'})


class CreatedHeaders(EtagHeader):
    """Where the created resource lives, and the project's version."""

    location = String(data_key="Location")


class LocalText(Schema):
    """A text in bokmål and English."""

    nb = String(required=True)
    en = String(required=True)


class ChoiceOut(Schema):
    key = String(required=True)
    label = Nested(LocalText, required=True)


class FieldOut(Schema):
    key = String(required=True)
    type = String(required=True)
    label = Nested(LocalText, required=True)
    help = Nested(LocalText, allow_none=True)
    choices = List(Nested(ChoiceOut), allow_none=True)


class ChecklistItemOut(Schema):
    key = String(required=True)
    label = Nested(LocalText, required=True)
    help = Nested(LocalText, allow_none=True)


class StageOut(Schema):
    key = String(required=True)
    title = Nested(LocalText, required=True)
    sla_days = Integer(allow_none=True)
    guidance = Nested(LocalText, allow_none=True)
    checklist = List(Nested(ChecklistItemOut), required=True)
    final = Boolean(required=True)


class ConditionOut(Schema):
    """``when``: the comparison applies only while the field has this value."""

    field = String(required=True)
    equals = Raw(required=True)


class ComparisonOut(Schema):
    field = String(
        required=True,
        metadata={"description": "the field compared, or a built-in count: stage_round"},
    )
    op = String(required=True)
    value = Raw(
        allow_none=True, metadata={"description": "a number, a date, or 'today' (the day checked)"}
    )
    other = String(allow_none=True)
    factor = Float()
    offset = Float()
    when = Nested(ConditionOut, allow_none=True)
    label = Nested(LocalText, allow_none=True)


class PartnerNeedOut(Schema):
    """Partners of one type a gate needs: how many, how far they have come, approved."""

    min = Integer(required=True)
    status = String(
        allow_none=True, metadata={"enum": ["invited", "confirmed", "letter_of_intent"]}
    )
    approved = Boolean(required=True)


class ApplicationNeedOut(Schema):
    status = List(String(), required=True)


class BenefitsNeedOut(Schema):
    """What a gate asks of the benefit realisation plan."""

    min = Integer(required=True)
    baseline = Boolean(required=True)
    target = Boolean(required=True)
    owner = Boolean(required=True)


class MeasurementsNeedOut(Schema):
    """What a gate asks of the measurements."""

    after_target = Boolean(required=True)


class PartnerGroupOut(Schema):
    """Partners of any of some organisation types, counted together."""

    key = String(required=True)
    types = List(String(), required=True)
    min = Integer(required=True)
    status = String(
        allow_none=True, metadata={"enum": ["invited", "confirmed", "letter_of_intent"]}
    )
    label = Nested(LocalText, required=True)


class DistinctFieldsOut(Schema):
    """Fields that together must hold at least ``min`` different values."""

    key = String(required=True)
    fields_ = List(String(), data_key="fields", attribute="fields", required=True)
    min = Integer(required=True)
    label = Nested(LocalText, required=True)


class RequirementsOut(Schema):
    """What a gate requires, one key per requirement kind (a test keeps them all here)."""

    fields = List(String(), required=True)  # type: ignore[assignment]
    checklist = List(String(), required=True)
    partners = Dict(keys=String(), values=Nested(PartnerNeedOut), required=True)
    compare = List(Nested(ComparisonOut), required=True)
    application = Nested(
        ApplicationNeedOut,
        allow_none=True,
        metadata={"description": "the statuses the current application may be in"},
    )
    call_rules = Boolean(
        required=True, metadata={"description": "the current application meets its call's rules"}
    )
    reports = Dict(
        keys=String(),
        values=String(),
        metadata={"description": "report kind → how far: delivered or approved"},
    )
    follow_ups_closed = Boolean(
        metadata={"description": "every condition of a conditional go is closed"}
    )
    lesson = Boolean(metadata={"description": "a lessons-learned entry exists"})
    benefits = Nested(BenefitsNeedOut, allow_none=True)
    measurements = Nested(MeasurementsNeedOut, allow_none=True)
    roles = List(String(), metadata={"description": "project roles each filled by a user"})
    attachments = List(
        String(), metadata={"description": "attachment types with a current file each"}
    )
    partner_groups = List(
        Nested(PartnerGroupOut),
        metadata={"description": "partners of any of some organisation types, counted together"},
    )
    distinct_fields = List(
        Nested(DistinctFieldsOut),
        metadata={"description": "fields that must hold at least min different values"},
    )


class CriterionOut(Schema):
    """A scorecard criterion, scored 1 to 5."""

    key = String(required=True)
    label = Nested(LocalText, required=True)
    help = Nested(LocalText, allow_none=True)
    weight = Float(required=True)


class GateOut(Schema):
    key = String(required=True)
    from_ = String(data_key="from", required=True)
    to = String(required=True)
    title = Nested(LocalText, required=True)
    description = Nested(LocalText, allow_none=True)
    requires = Nested(RequirementsOut, required=True)
    scorecard = List(Nested(CriterionOut), required=True)
    pass_score = Float(allow_none=True)
    quorum = Dict(keys=String(), values=Integer(), required=True)
    recycle_to = String(allow_none=True)
    conflict_of_interest = String(required=True, metadata={"enum": ["block", "allow"]})
    review_sla_days = Integer(
        allow_none=True,
        metadata={"description": "days the gatekeepers may take once a project is submitted"},
    )


class DeadlineOut(Schema):
    key = String(required=True)
    field = String(required=True)
    label = Nested(LocalText, required=True)
    offset_days = Integer()
    remind_days_before = List(Integer())
    stages = List(String())


class DefinitionOut(Schema):
    """A collaboration form's workflow, in the shape of its YAML file (SPEC §2a)."""

    key = String(required=True)
    version = Integer(required=True)
    title = Nested(LocalText, required=True)
    description = Nested(LocalText, required=True)
    fields = List(Nested(FieldOut), required=True)  # type: ignore[assignment]
    deadlines = List(Nested(DeadlineOut))
    stages = List(Nested(StageOut), required=True)
    gates = List(Nested(GateOut), required=True)


class DefinitionList(Schema):
    items = List(Nested(DefinitionOut), required=True)


class UserRef(Schema):
    id = Integer(required=True)
    name = String(required=True)


class PartnerOut(Schema):
    id = Integer(required=True)
    organisation_id = Integer(required=True)
    name = String(required=True)
    type = String(required=True)
    role = String(required=True)
    approved_research = Boolean(required=True)
    status = String(
        required=True,
        metadata={"enum": ["invited", "confirmed", "letter_of_intent"], "example": "confirmed"},
    )
    invited_on = Date(allow_none=True, metadata={"description": "the day it was invited"})
    confirmed_on = Date(allow_none=True, metadata={"description": "the day it confirmed"})
    letter_of_intent_on = Date(
        allow_none=True, metadata={"description": "the day its letter of intent came"}
    )


class RequirementOut(Schema):
    """One requirement of a gate and whether the project meets it."""

    kind = String(required=True, metadata={"example": "partners"})
    key = String(required=True)
    met = Boolean(required=True)
    reason = String(required=True, metadata={"description": "why, in English"})
    code = String(required=True, metadata={"description": "why, as a code", "example": "item_open"})
    params = Dict(keys=String(), values=Raw(), required=True)
    needed = Integer()
    present = Integer()
    field = String()
    op = String()
    other = String(allow_none=True)
    label = Nested(LocalText, allow_none=True)
    left = Raw(allow_none=True)
    right = Raw(allow_none=True)


class NextGateOut(Schema):
    gate = String(required=True)
    to = String(required=True)
    title = Nested(LocalText, required=True)
    ready = Boolean(required=True)
    requires = List(Nested(RequirementOut), required=True)


class VoteOut(Schema):
    voter = Nested(UserRef, required=True)
    group = String(required=True)
    decision = String(required=True)
    weighted_score = Float(allow_none=True)
    cast_at = DateTime(required=True)


class ReviewOut(Schema):
    gate = String(required=True)
    submitted_at = DateTime(required=True)
    votes = List(Nested(VoteOut), required=True)


class ProjectSummary(Schema):
    """A project in a list."""

    id = Integer(required=True)
    definition = String(required=True)
    definition_version = Integer(required=True)
    title = String(required=True)
    thematic_area = String(allow_none=True)
    stage = String(required=True)
    status = String(required=True)
    version = Integer(required=True)
    stalled = Boolean(required=True)
    owner = Nested(UserRef, required=True)
    pending_gate = String(allow_none=True)
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)


class ProjectOut(ProjectSummary):
    """A project with everything its page shows (SPEC §4)."""

    summary = String(required=True)
    fields = Dict(keys=String(), values=Raw(allow_none=True), required=True)  # type: ignore[assignment]
    partners = List(Nested(PartnerOut), required=True)
    checklist = Dict(keys=String(), values=Boolean(), required=True)
    next_gate = Nested(NextGateOut, allow_none=True, required=True)
    next_gates = List(Nested(NextGateOut), required=True)
    review = Nested(ReviewOut, allow_none=True, required=True)


class ProjectPage(Schema):
    items = List(Nested(ProjectSummary), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)


class DecisionOut(Schema):
    """What a vote did, and the project after it."""

    decided = Boolean(required=True)
    outcome = String(allow_none=True, required=True)
    project = Nested(ProjectOut, required=True)


class EventOut(Schema):
    """An entry of the audit trail."""

    seq = Integer(required=True)
    action = String(required=True)
    actor = Nested(UserRef, allow_none=True, required=True)
    created_at = DateTime(required=True)
    from_stage = String(allow_none=True)
    to_stage = String(allow_none=True)
    from_status = String(allow_none=True)
    to_status = String(allow_none=True)
    payload = Dict(keys=String(), values=Raw(allow_none=True), required=True)
    hash = String(required=True)


class EventList(Schema):
    items = List(Nested(EventOut), required=True)


class OrganisationSummary(Schema):
    """An organisation as the list shows it."""

    id = Integer(required=True)
    key = String(required=True)
    name = String(required=True)
    type = String(required=True)
    description = String(required=True)
    org_number = String(required=True, allow_none=True)
    parent_id = Integer(required=True, allow_none=True)
    approved_research = Boolean(required=True)
    keywords = List(String(), required=True)
    thematic_areas = List(String(), required=True)
    active = Boolean(required=True)
    confirmed = Boolean(required=True, metadata={"description": "false: a proposal"})
    merged_into = Integer(required=True, allow_none=True)
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)


class ContactOut(Schema):
    name = String(required=True)
    email = String(required=True)
    role = String(required=True)


class OrganisationRef(Schema):
    id = Integer(required=True)
    name = String(required=True)


class OrganisationChild(OrganisationRef):
    active = Boolean(required=True)


class OrganisationOut(OrganisationSummary):
    """An organisation in full, with its contacts, parent and children."""

    contacts = List(Nested(ContactOut), required=True)
    parent = Nested(OrganisationRef, required=True, allow_none=True)
    children = List(Nested(OrganisationChild), required=True)


class MergeOut(Schema):
    organisation = Nested(OrganisationOut, required=True, metadata={"description": "survivor"})
    projects = List(Integer(), required=True, metadata={"description": "projects touched"})


class OrganisationPage(Schema):
    items = List(Nested(OrganisationSummary), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)


class TitleOut(Schema):
    nb = String(required=True)
    en = String(required=True)


class CallSummary(Schema):
    """A funder's call as the list shows it: every field (SPEC §4b) and its phase now."""

    id = Integer(required=True)
    funder = String(required=True)
    title = Nested(TitleOut, required=True)
    url = String(required=True)
    opens_on = Date(required=True)
    deadline = DateTime(
        required=True,
        metadata={"description": "in Europe/Oslo time, with its offset (IPO: 13:00)"},
    )
    decision_expected_on = Date(required=True, allow_none=True)
    earliest_start = Date(required=True, allow_none=True)
    latest_start = Date(required=True, allow_none=True)
    latest_end = Date(required=True, allow_none=True)
    min_amount = Integer(required=True, allow_none=True, metadata={"description": "NOK"})
    max_amount = Integer(required=True, allow_none=True, metadata={"description": "NOK"})
    max_support_rate = Dict(
        keys=String(),
        values=Float(),
        required=True,
        metadata={"description": "organisation type → largest share of the budget, 0..1"},
    )
    required_partners = Dict(
        keys=String(),
        values=Integer(),
        required=True,
        metadata={"description": "organisation type → partners an application needs"},
    )
    required_attachments = List(String(), required=True)
    phase = String(required=True, metadata={"description": "open, upcoming or closed now"})
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)


class CallApplicationOut(Schema):
    """An application to the call, with its project."""

    id = Integer(required=True)
    status = String(required=True)
    applied_amount = Integer(required=True, allow_none=True)
    submitted_at = DateTime(required=True, allow_none=True)
    project_id = Integer(required=True)
    title = String(required=True, metadata={"description": "the project's title"})
    project_status = String(required=True)


class CallApplications(Schema):
    total = Integer(required=True)
    items = List(
        Nested(CallApplicationOut), required=True, metadata={"description": "newest first"}
    )


class CallOut(CallSummary):
    """A call in full, with the first applications to it."""

    applications = Nested(CallApplications, required=True)


class CallPage(Schema):
    items = List(Nested(CallSummary), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)


# reports


class ReportOut(Schema):
    """A report a project owes its funder (SPEC §4b)."""

    id = Integer(required=True)
    project_id = Integer(required=True)
    kind = String(required=True, metadata={"enum": ["progress", "final"]})
    due_on = Date(required=True, metadata={"description": "a final report's is derived"})
    status = String(required=True, metadata={"enum": ["due", "delivered", "approved"]})
    delivered_on = Date(required=True, allow_none=True)
    approved_on = Date(required=True, allow_none=True)
    approved_by = Nested(UserRef, required=True, allow_none=True)
    note = String(required=True)
    overdue = Boolean(required=True, metadata={"description": "past its day, not delivered"})
    application_id = Integer(required=True, allow_none=True)


class ReportPage(Schema):
    """A project's reports by due date, and whether one holds back the funder's payment."""

    items = List(Nested(ReportOut), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)
    payment_held = Boolean(
        required=True,
        metadata={"description": "a progress report is due or delivered and not approved"},
    )
    final_due_on = Date(
        required=True,
        allow_none=True,
        metadata={"description": "the final report's day (derived when there is none yet)"},
    )


# the project room: discussion, requests for information, conditional go


class CommentOut(Schema):
    """A post in a project's discussion (its Markdown as written)."""

    id = Integer(required=True)
    author = Nested(UserRef, required=True)
    body = String(required=True, metadata={"description": "Markdown"})
    created_at = DateTime(required=True)


class CommentPage(Schema):
    """A project's discussion, oldest first."""

    items = List(Nested(CommentOut), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)


class FollowUpOut(Schema):
    """A condition of a conditional go, open until closed with a note."""

    id = Integer(required=True)
    gate = String(required=True)
    text = String(required=True)
    responsible = Nested(UserRef, required=True)
    due_on = Date(required=True)
    overdue = Boolean(required=True)
    closed_at = DateTime(required=True, allow_none=True)
    closed_by = Nested(UserRef, required=True, allow_none=True)
    note = String(required=True)


class FollowUpPage(Schema):
    """A project's follow-ups: open ones first, by due date."""

    items = List(Nested(FollowUpOut), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)


class QuestionOut(Schema):
    """A request for information; ``open`` while it holds up the pending review."""

    id = Integer(required=True)
    gate = String(required=True)
    asked_by = Nested(UserRef, required=True)
    text = String(required=True)
    asked_at = DateTime(required=True)
    answer = String(required=True, allow_none=True)
    answer_comment_id = Integer(required=True, allow_none=True)
    answered_at = DateTime(required=True, allow_none=True)
    open = Boolean(required=True)


# --- benefit realisation (issue 13) ---------------------------------------------------------
class BenefitPointOut(Schema):
    """A baseline or a target."""

    value = Float(required=True, allow_none=True)
    on = Date(required=True, allow_none=True)


class MeasurementOut(Schema):
    """A measured value of a benefit."""

    id = Integer(required=True)
    value = Float(required=True)
    measured_on = Date(required=True)
    comment = String(required=True)
    recorded_by = Integer(required=True, allow_none=True)
    recorded_at = DateTime(required=True)


class BenefitOut(Schema):
    """A benefit of a project's benefit realisation plan, with its measurements, oldest first."""

    id = Integer(required=True)
    project_id = Integer(required=True)
    description = String(required=True)
    type = String(required=True, metadata={"enum": ["efficiency", "quality", "other_actors"]})
    chain_link = String(required=True)
    indicator = String(required=True)
    unit = String(required=True)
    change_on = Date(required=True, allow_none=True)
    baseline = Nested(BenefitPointOut, required=True)
    target = Nested(BenefitPointOut, required=True)
    owner = Nested(UserRef, required=True, allow_none=True)
    preconditions = String(required=True)
    nok_per_year = Integer(required=True, allow_none=True)
    unexpected = Boolean(required=True, metadata={"description": "added after execution started"})
    unmeasured_after_target = Boolean(required=True)
    measurements = List(Nested(MeasurementOut), required=True)


class BenefitPage(Schema):
    """A project's benefit realisation plan."""

    items = List(Nested(BenefitOut), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)
    flagged = Boolean(
        required=True,
        metadata={"description": "a benefit's target date passed without a measurement"},
    )


# governance: my tasks


class TaskOut(Schema):
    """One thing waiting for the user (SPEC §4b ``GET /me/tasks``)."""

    kind = String(
        required=True,
        metadata={"description": "vote, recycled, report, … (one per kind of task)"},
    )
    project_id = Integer(required=True)
    title = String(required=True, metadata={"description": "the project's title"})
    due_on = Date(required=True, allow_none=True)
    url = String(required=True, metadata={"description": "the page where it is done"})


class TaskPage(Schema):
    items = List(Nested(TaskOut), required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    per_page = Integer(required=True)


class SubstituteOut(Schema):
    """The gatekeeper's named substitute and the period they vote in the group."""

    user_id = Integer(required=True)
    name = String(required=True)
    group = String(required=True)
    from_ = Date(required=True, data_key="from")
    to = Date(required=True)
