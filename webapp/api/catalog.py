"""Definitions (organisations: :mod:`webapp.api.organisations`)."""

from __future__ import annotations

from typing import Any

import workflow
from webapp.api import bp
from webapp.api.inputs import DefinitionPath, DefinitionQuery
from webapp.api.paths import path_params
from webapp.api.schemas import DefinitionList, DefinitionOut
from webapp.extensions import current_workflow


def _definition(definition: workflow.Definition) -> dict[str, Any]:
    return definition.model_dump(mode="json")


@bp.get("/definitions")
@bp.doc(operation_id="listDefinitions")
@bp.output(DefinitionList)
def list_definitions() -> dict[str, Any]:
    """List definitions

    The newest version of each definition, with its stages, gates and criteria.
    """
    return {"items": [_definition(d) for d in current_workflow().catalog.latest()]}


@bp.get("/definitions/<key>")
@bp.doc(operation_id="getDefinition")
@bp.input(DefinitionQuery, location="query", arg_name="query")
@bp.output(DefinitionOut)
@path_params(DefinitionPath)
def show_definition(key: str, query: dict[str, Any]) -> dict[str, Any]:
    """Show a definition

    Its newest version, or the ``version`` a project started on.
    """
    return _definition(current_workflow().catalog.get(key, query.get("version")))
