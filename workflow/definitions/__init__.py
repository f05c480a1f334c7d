"""Definitions: the YAML contract (SPEC §2a–2c) as frozen models, its rules, loading and drawing.

Pure: no database, no I/O beyond reading the files it is given.
"""

from workflow.definitions.base import THEMATIC_AREAS
from workflow.definitions.loader import (
    ANY_GROUP,
    ORGANISATION_TYPES,
    Comparison,
    Deadline,
    Definition,
    FieldSpec,
    Gate,
    Stage,
    Text,
    check_definitions,
    content_hash,
    definition_files,
    load_definition_file,
    load_definitions,
    parse_definition,
)

__all__ = [
    "ANY_GROUP",
    "ORGANISATION_TYPES",
    "THEMATIC_AREAS",
    "Comparison",
    "Deadline",
    "Definition",
    "FieldSpec",
    "Gate",
    "Stage",
    "Text",
    "check_definitions",
    "content_hash",
    "definition_files",
    "load_definition_file",
    "load_definitions",
    "parse_definition",
]
