"""Partner suggestions for a project: ranked organisations, each with its reasons."""

from __future__ import annotations

from typing import Any

from apiflask import Schema
from apiflask.fields import Boolean, Dict, Float, Integer, List, Nested, Raw, String
from apiflask.validators import OneOf, Range

import workflow
from webapp.api import bp
from webapp.api.fields import AsciiInteger, Text
from webapp.api.inputs import ProjectPath
from webapp.api.paths import path_params
from webapp.extensions import current_workflow
from workflow import ORGANISATION_TYPES

MAX_LIMIT = 50


class SuggestionQuery(Schema):
    type = Text(validate=OneOf(ORGANISATION_TYPES), metadata={"description": "only this type"})
    limit = AsciiInteger(load_default=10, validate=Range(min=1, max=MAX_LIMIT))


class SuggestedOrganisation(Schema):
    id = Integer(required=True)
    key = String(required=True)
    name = String(required=True)
    type = String(required=True)
    approved_research = Boolean(required=True)
    thematic_areas = List(String(), required=True)


class ReasonOut(Schema):
    """Why it is suggested: the engine's code, the values its wording needs, in English."""

    code = String(required=True, metadata={"example": "shared_keywords"})
    params = Dict(
        keys=String(),
        values=Raw(),
        required=True,
        metadata={"example": {"keywords": ["velferdsteknologi"]}},
    )
    text = String(required=True, metadata={"description": "the reason in English"})


class SuggestionOut(Schema):
    organisation = Nested(SuggestedOrganisation, required=True)
    score = Float(required=True, metadata={"description": "how well it fits, 0 to 1"})
    reasons = List(Nested(ReasonOut), required=True)


class SuggestionList(Schema):
    items = List(Nested(SuggestionOut), required=True)


@bp.get("/projects/<project_id>/partner-suggestions")
@bp.doc(operation_id="suggestPartners")
@bp.input(SuggestionQuery, location="query", arg_name="query")
@bp.output(SuggestionList)
@path_params(ProjectPath)
def suggest_partners(project_id: int, query: dict[str, Any]) -> dict[str, Any]:
    """Suggest partners

    Registered organisations that fit the project, best first, each with a score and the
    reasons (shared keywords, thematic area, past projects, what the next gate needs). An
    organisation already a partner, or inactive, unconfirmed or merged, is never suggested.
    """
    found = workflow.suggest_partners(
        current_workflow(), project_id, type=query.get("type"), limit=query["limit"]
    )
    return {
        "items": [
            {
                "organisation": s.organisation,
                "score": s.score,
                "reasons": [r.as_dict() for r in s.reasons],
            }
            for s in found
        ]
    }
