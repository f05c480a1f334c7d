"""What the API accepts: request bodies, query strings and path parameters.

Unknown body fields are refused (marshmallow's ``RAISE``); every string is bounded, so a
huge or malformed value is a 400 naming the field, never a 500.
"""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import Boolean, Date, Dict, File, Float, List, Nested, String
from apiflask.validators import Length, OneOf, Range, Regexp
from marshmallow import INCLUDE, RAISE, ValidationError, validates

from webapp.api.fields import (
    MAX_INT32,
    AsciiInteger,
    FieldValues,
    Line,
    Moment,
    StrictBoolean,
    StrictInteger,
    Text,
)
from webapp.extensions import current_workflow
from workflow import (
    BENEFIT_TYPES,
    CALL_PHASES,
    CHAIN_LINKS,
    DECISIONS,
    ORGANISATION_TYPES,
    PARTNER_STATUSES,
    REPORT_KINDS,
    STATUSES,
    THEMATIC_AREAS,
)

KEY = Length(min=1, max=64)
MAX_PER_PAGE = 100


def _known_definition(value: str) -> None:
    keys = current_workflow().catalog.keys()
    if value not in keys:
        raise ValidationError(f"unknown definition '{value[:64]}'; one of {', '.join(keys)}")


class Strict(Schema):
    """A request body: unknown fields are errors."""

    class Meta:
        unknown = RAISE


class Versioned(Strict):
    """A body that may carry the project's ``version`` instead of an ``If-Match`` header."""

    version = StrictInteger(
        validate=Range(min=1, max=MAX_INT32),
        metadata={"description": "the project version the change is based on (412 if stale)"},
    )


class IfMatch(Schema):
    """The ``If-Match`` header: the project version a change is based on (412 if stale)."""

    if_match = Text(
        data_key="If-Match",
        validate=Regexp(r'^(\*|"[0-9]{1,18}")$', error='must be a project version, e.g. "3"'),
        metadata={"description": 'the ETag of the project the change is based on, e.g. "3"'},
    )


class ProjectIn(Strict):
    """A new project, created in the first stage of the definition's newest version."""

    definition = Text(required=True, validate=KEY, metadata={"example": "ipo"})
    title = Line(required=True, validate=Length(min=1, max=200))
    summary = Text(validate=Length(max=10_000))
    # any area key: the engine knows the areas admins add (an unknown one is a 422)
    thematic_area = Text(allow_none=True, validate=Length(max=64))
    # SPEC names this key "fields": mypy sees it override Schema.fields (the bound fields),
    # but at run time the metaclass collects it as a declared field; each such line is ignored.
    fields = FieldValues(metadata={"description": "the definition's fields by key"})  # type: ignore[assignment]

    @validates("definition")
    def _definition(self, value: str, **_: Any) -> None:
        _known_definition(value)


class ProjectPatch(Versioned):
    """Changes to a project; only the keys given change, a field set to null is cleared."""

    title = Line(validate=Length(min=1, max=200))
    summary = Text(validate=Length(max=10_000))
    # any area key: the engine knows the areas admins add (an unknown one is a 422)
    thematic_area = Text(allow_none=True, validate=Length(max=64))
    fields = FieldValues()  # type: ignore[assignment]


class SubmitIn(Versioned):
    gate = Text(validate=KEY, metadata={"description": "needed where the stage has several"})


class DecisionIn(Versioned):
    decision = Text(required=True, validate=OneOf(DECISIONS))
    scores = Dict(
        # OpenAPI 3.0 cannot constrain keys, so any text is well-formed here and a key that
        # is not a criterion of the gate's scorecard is the engine's refusal (422) — even one
        # with a NUL character, which no criterion key has
        keys=String(),
        values=StrictInteger(validate=Range(min=1, max=5)),
        metadata={"description": "criterion → score from 1 to 5; a go needs every criterion"},
    )
    comment = Text(allow_none=True, validate=Length(max=5_000))
    conditions = List(
        Nested(lambda: ConditionIn()),
        validate=Length(max=10),
        metadata={"description": "a conditional go: each becomes a follow-up once it passes"},
    )


class ChecklistIn(Versioned):
    done = StrictBoolean(required=True)


class PartnerIn(Versioned):
    organisation_id = StrictInteger(required=True, validate=Range(min=1, max=MAX_INT32))
    role = Line(load_default="", validate=Length(max=100))
    status = Text(load_default="invited", validate=OneOf(PARTNER_STATUSES))


class PartnerPatch(Versioned):
    """A partner's status (the day it is reached is recorded) or role."""

    status = Text(validate=OneOf(PARTNER_STATUSES))
    role = Line(validate=Length(max=100))


class ContactIn(Strict):
    """A contact person of an organisation."""

    name = Line(required=True, validate=Length(min=1, max=200))
    email = Line(load_default="", validate=Length(max=254))
    role = Line(load_default="", validate=Length(max=100))


class OrganisationFields(Strict):
    """The registry's fields (SPEC §4b); the engine checks the rules (422) and uniqueness
    (409)."""

    key = Text(validate=Length(min=1, max=64), metadata={"example": "ntnu-idi"})
    description = Text(allow_none=True, validate=Length(max=5_000))
    org_number = Line(
        allow_none=True,
        validate=Length(max=20),
        metadata={"description": "9 digits, mod-11 checked", "example": "974767880"},
    )
    parent_id = StrictInteger(allow_none=True, validate=Range(min=1, max=MAX_INT32))
    approved_research = StrictBoolean()
    keywords = List(Line(validate=Length(max=60)), validate=Length(max=30))
    thematic_areas = List(Text(validate=OneOf(THEMATIC_AREAS)), validate=Length(max=20))
    contacts = List(Nested(ContactIn), validate=Length(max=20))


class OrganisationIn(OrganisationFields):
    """A new organisation; ``key`` defaults to a slug of the name."""

    name = Line(required=True, validate=Length(min=1, max=200))
    type = Text(required=True, validate=OneOf(ORGANISATION_TYPES))


class OrganisationPatch(OrganisationFields):
    """Changes to an organisation: only the keys given change; ``contacts`` replaces the
    list; ``active`` false deactivates it, true reactivates it."""

    name = Line(validate=Length(min=1, max=200))
    type = Text(validate=OneOf(ORGANISATION_TYPES))
    active = StrictBoolean()


class MergeIn(Strict):
    into = StrictInteger(
        required=True,
        validate=Range(min=1, max=MAX_INT32),
        metadata={"description": "the id of the organisation that survives"},
    )


class TitleIn(Strict):
    """A call's title in bokmål (required) and English."""

    nb = Line(required=True, validate=Length(min=1, max=200))
    en = Line(load_default="", validate=Length(max=200))


#: the largest amount in NOK a call takes
MAX_AMOUNT = 10**12

SupportRatesIn = Strict.from_dict(
    {
        kind: Float(validate=Range(min=0, max=1), metadata={"example": 0.5})
        for kind in ORGANISATION_TYPES
    },
    name="SupportRatesIn",
)
RequiredPartnersIn = Strict.from_dict(
    {kind: StrictInteger(validate=Range(min=1, max=100)) for kind in ORGANISATION_TYPES},
    name="RequiredPartnersIn",
)


class CallFields(Strict):
    """A call's fields (SPEC §4b) besides those a new call needs; the engine checks the
    rules between them (422)."""

    url = Text(allow_none=True, validate=Length(max=500), metadata={"format": "uri"})
    decision_expected_on = Date(allow_none=True)
    earliest_start = Date(allow_none=True)
    latest_start = Date(allow_none=True)
    latest_end = Date(allow_none=True)
    min_amount = StrictInteger(allow_none=True, validate=Range(min=0, max=MAX_AMOUNT))
    max_amount = StrictInteger(allow_none=True, validate=Range(min=0, max=MAX_AMOUNT))
    max_support_rate = Nested(
        SupportRatesIn,
        metadata={"description": "organisation type → the largest share of the budget (0..1)"},
    )
    required_partners = Nested(
        RequiredPartnersIn,
        metadata={"description": "organisation type → how many partners an application needs"},
    )
    required_attachments = List(
        Text(validate=Length(min=1, max=64)),
        allow_none=True,
        validate=Length(max=20),
        metadata={"example": ["project_description", "partner_information"]},
    )


class CallIn(CallFields):
    """A new call. ``deadline`` is a moment with its offset: IPO calls close at 13:00
    Europe/Oslo, e.g. ``2025-09-24T13:00:00+02:00``."""

    funder = Line(required=True, validate=Length(min=1, max=200))
    title = Nested(TitleIn, required=True)
    opens_on = Date(required=True)
    deadline = Moment(required=True, metadata={"example": "2025-09-24T13:00:00+02:00"})


class CallPatch(CallFields):
    """Changes to a call: only the keys given change (``title`` replaces both languages)."""

    funder = Line(validate=Length(min=1, max=200))
    title = Nested(TitleIn)
    opens_on = Date()
    deadline = Moment(metadata={"example": "2025-09-24T13:00:00+02:00"})


class PageQuery(Schema):
    page = AsciiInteger(load_default=1, validate=Range(min=1, max=1_000_000))
    per_page = AsciiInteger(load_default=25, validate=Range(min=1, max=MAX_PER_PAGE))


class ProjectQuery(PageQuery):
    """Filters of the project list; all optional."""

    definition = Text(validate=KEY)
    stage = Text(validate=KEY)
    status = Text(validate=OneOf(STATUSES))
    stalled = Boolean()
    q = Text(validate=Length(max=200), metadata={"description": "title or summary contains"})

    @validates("definition")
    def _definition(self, value: str, **_: Any) -> None:
        _known_definition(value)


class OrganisationQuery(PageQuery):
    """Filters of the organisation list; all optional."""

    type = Text(validate=OneOf(ORGANISATION_TYPES))
    thematic_area = Text(validate=OneOf(THEMATIC_AREAS))
    approved_research = Boolean()
    active = Boolean(load_default=True, metadata={"description": "default: active ones only"})
    confirmed = Boolean(metadata={"description": "false: proposals awaiting a coordinator"})
    q = Text(
        validate=Length(max=200),
        metadata={"description": "name, key, keywords or description contains"},
    )


class CallQuery(PageQuery):
    """Filters of the call list; all optional."""

    phase = Text(
        validate=OneOf(CALL_PHASES),
        metadata={
            "description": "open (opens_on ≤ today < deadline, Europe/Oslo), upcoming, closed"
        },
    )
    open = Boolean(
        data_key="open",
        metadata={"description": "true: open now; false: upcoming or closed"},
    )
    funder = Text(validate=Length(max=200), metadata={"description": "funder contains"})
    year = AsciiInteger(
        validate=Range(min=1900, max=2999), metadata={"description": "year of the deadline"}
    )


class DefinitionQuery(Schema):
    version = AsciiInteger(
        validate=Range(min=1, max=MAX_INT32), metadata={"description": "default: the newest"}
    )


class ProjectPath(Schema):
    project_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


class ItemPath(ProjectPath):
    item = Text(required=True, validate=KEY)


class PartnerPath(ProjectPath):
    partner_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


class OrganisationPath(Schema):
    organisation_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


class CallPath(Schema):
    call_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


class DefinitionPath(Schema):
    key = Text(required=True, validate=KEY)


# reports


class ReportIn(Versioned):
    """A report the project owes: a progress report on its day, or the final report, whose
    day is derived (one calendar month after the project's end, SPEC §2c)."""

    kind = Text(required=True, validate=OneOf(REPORT_KINDS))
    due_on = Date(
        allow_none=True,
        metadata={"description": "required for a progress report; leave out for the final"},
    )
    note = Text(load_default="", validate=Length(max=5_000))


class DeliverIn(Versioned):
    """The owner delivers a due report, with a note."""

    note = Text(load_default="", validate=Length(max=5_000))


class ReportPath(ProjectPath):
    report_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


# the project room: discussion, requests for information, conditional go


class ConditionIn(Strict):
    """A condition of a go: a follow-up item for ``responsible_id`` due on ``due_on``."""

    text = Text(required=True, validate=Length(min=1, max=5_000))
    responsible_id = StrictInteger(required=True, validate=Range(min=1, max=MAX_INT32))
    due_on = Date(required=True)


class CommentIn(Strict):
    """A post in the project's discussion: Markdown; ``@email`` mentions notify."""

    body = Text(required=True, validate=Length(min=1, max=10_000))


class QuestionIn(Strict):
    """A request for information to the owner, from a gatekeeper of the pending gate."""

    text = Text(required=True, validate=Length(min=1, max=10_000))


class CloseIn(Versioned):
    """The responsible user or a coordinator closes a follow-up with a note."""

    note = Text(required=True, validate=Length(min=1, max=5_000))


class FollowUpPath(ProjectPath):
    follow_up_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


class QuestionPath(ProjectPath):
    question_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


# --- benefit realisation (issue 13) ---------------------------------------------------------
class BenefitPoint(Strict):
    """A baseline or a target: a value and the day it is (or was) measured."""

    value = Float(required=True, allow_none=True, metadata={"example": 40})
    on = Date(required=True, allow_none=True, metadata={"example": "2026-08-01"})


class BenefitPatch(Versioned):
    """Changes to a benefit of the plan (DOMAIN §6); only the fields given change."""

    description = Text(validate=Length(min=1, max=5_000))
    type = Text(validate=OneOf(BENEFIT_TYPES))
    chain_link = Text(validate=OneOf(CHAIN_LINKS))
    indicator = Line(validate=Length(max=300))
    unit = Line(validate=Length(max=50))
    change_on = Date(
        allow_none=True, metadata={"description": "the day the change it measures takes effect"}
    )
    baseline = Nested(
        BenefitPoint,
        metadata={"description": "measured before the change; nulls inside clear it"},
    )
    target = Nested(BenefitPoint, metadata={"description": "nulls inside clear it"})
    owner_id = StrictInteger(
        allow_none=True,
        validate=Range(min=1, max=MAX_INT32),
        metadata={"description": "the benefit owner (a line manager), a user's id"},
    )
    preconditions = Text(validate=Length(max=5_000))
    nok_per_year = StrictInteger(allow_none=True, validate=Range(min=0, max=10**12))


class BenefitIn(BenefitPatch):
    """A benefit of the project's benefit realisation plan (DOMAIN §6)."""

    description = Text(required=True, validate=Length(min=1, max=5_000))
    type = Text(required=True, validate=OneOf(BENEFIT_TYPES))
    chain_link = Text(required=True, validate=OneOf(CHAIN_LINKS))


class MeasurementIn(Versioned):
    """A measured value of a benefit, appended to its series (never overwritten)."""

    value = Float(required=True, metadata={"example": 12.5})
    measured_on = Date(required=True)
    comment = Text(
        load_default="",
        validate=Length(max=5_000),
        metadata={"description": "required when it misses the target on or after its date"},
    )


class BenefitPath(ProjectPath):
    benefit_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


# governance


class SubstituteIn(Strict):
    """A gatekeeper's substitute: that user votes in my group from ``from`` to ``to``."""

    user_id = StrictInteger(required=True, validate=Range(min=1, max=MAX_INT32))
    from_ = Date(required=True, data_key="from", metadata={"description": "first day"})
    to = Date(required=True, metadata={"description": "last day (included)"})


# --- project room (issue #14) ---
class AttachmentPath(ProjectPath):
    attachment_id = AsciiInteger(required=True, validate=Range(min=1, max=MAX_INT32))


class UploadIn(Schema):
    """An attachment upload (``multipart/form-data``)."""

    type = Text(required=True, validate=KEY, metadata={"description": "an attachment type"})
    file = File(required=True, metadata={"description": "the file's bytes"})  # type: ignore[no-untyped-call]


class RolesIn(Schema):
    """``{"project_manager": user_id or null, …}``: each role of the definition's
    ``project_roles`` (the engine checks the keys and the users)."""

    class Meta:
        unknown = INCLUDE
