"""The building blocks of the definition models, shared by the schema and the requirement kinds.

A requirement kind (:mod:`workflow.requirements`) declares its own YAML shape from these, so
the schema can assemble ``requires`` from the kinds without the kinds importing the schema.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictStr

KEY_PATTERN = r"^[a-z0-9_-]+$"
ORGANISATION_TYPES = ("public", "research", "business", "civil_society", "citizens")
#: the partnership's built-in thematic areas (TRD 3.0), classifying projects and organisations;
#: the ``thematic_areas`` table holds their labels and validity, and the areas admins add
THEMATIC_AREAS = (
    "oppvekst_utdanning",
    "helse_velferd",
    "byutvikling",
    "innovasjon",
    "smartby",
    "unikom",
)
NUMERIC_TYPES = ("integer", "money")

Key = Annotated[StrictStr, Field(pattern=KEY_PATTERN, max_length=64)]
Number = StrictFloat


class Frozen(BaseModel):
    """A definition part: unknown keys refused, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Text(Frozen):
    """A text in Norwegian bokmål and English."""

    nb: Annotated[StrictStr, Field(min_length=1)]
    en: Annotated[StrictStr, Field(min_length=1)]

    def get(self, language: str) -> str:
        """Return the text in ``language`` (``nb`` or ``en``), bokmål for anything else."""
        return self.en if language == "en" else self.nb
