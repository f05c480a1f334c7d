"""A small definition to try one requirement kind on: two stages, one gate, its ``requires``."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from workflow.definitions import Definition, parse_definition
from workflow.errors import DefinitionError
from workflow.requirements.base import PartnerFact, ProjectFacts

FIELDS = [
    {"key": "need", "type": "text", "label": {"nb": "Behov", "en": "Need"}},
    {"key": "approved", "type": "boolean", "label": {"nb": "Godkjent", "en": "Approved"}},
    {"key": "budget", "type": "money", "label": {"nb": "Budsjett", "en": "Budget"}},
    {"key": "own_share", "type": "money", "label": {"nb": "Egenandel", "en": "Own share"}},
    {"key": "start", "type": "date", "label": {"nb": "Start", "en": "Start"}},
    {"key": "end", "type": "date", "label": {"nb": "Slutt", "en": "End"}},
]


def text_with(requires: dict[str, Any], fields: list[dict[str, Any]] | None = None) -> str:
    """A definition file whose one gate ``requires`` what is given (``fields``: more fields)."""
    data = {
        "key": "kit",
        "version": 1,
        "title": {"nb": "Sett", "en": "Kit"},
        "description": {"nb": "Til tester.", "en": "For tests."},
        "fields": FIELDS + (fields or []),
        "stages": [
            {
                "key": "idea",
                "title": {"nb": "Idé", "en": "Idea"},
                "sla_days": 5,
                "guidance": {"nb": "Gjør.", "en": "Do."},
                "checklist": [{"key": "told", "label": {"nb": "Fortalt", "en": "Told"}}],
            },
            {"key": "done", "title": {"nb": "Ferdig", "en": "Done"}, "final": True},
        ],
        "gates": [
            {
                "key": "review",
                "from": "idea",
                "to": "done",
                "title": {"nb": "Vurdering", "en": "Review"},
                "requires": requires,
            }
        ],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def definition_with(
    requires: dict[str, Any], fields: list[dict[str, Any]] | None = None
) -> Definition:
    """The loaded definition whose gate ``requires`` what is given."""
    return parse_definition(text_with(requires, fields), "kit.yaml")


def problems_with(
    requires: dict[str, Any], fields: list[dict[str, Any]] | None = None
) -> list[str]:
    """The loader's ``FILE: WHERE: WHAT`` lines for a gate that ``requires`` what is given."""
    with pytest.raises(DefinitionError) as caught:
        definition_with(requires, fields)
    return caught.value.problems


def facts(
    fields: dict[str, Any] | None = None,
    done: frozenset[str] = frozenset(),
    partners: dict[str, int] | None = None,
) -> ProjectFacts:
    """A project's facts, empty unless given; ``partners`` counts confirmed partners by type."""
    return ProjectFacts(fields or {}, done, confirmed(partners or {}))


def confirmed(counts: dict[str, int]) -> tuple[PartnerFact, ...]:
    """``counts[type]`` confirmed partners of each type, none of them approved."""
    return tuple(PartnerFact(t) for t, n in counts.items() for _ in range(n))


#: fields for the comparisons of issue #16: a choice, a yes/no switch and a count
MORE_FIELDS = [
    {
        "key": "procedure",
        "type": "choice",
        "label": {"nb": "Prosedyre", "en": "Procedure"},
        "choices": [
            {"key": "open", "label": {"nb": "Åpen", "en": "Open"}},
            {"key": "partnership", "label": {"nb": "Partnerskap", "en": "Partnership"}},
        ],
    },
    {"key": "capped", "type": "boolean", "label": {"nb": "Begrenset", "en": "Capped"}},
    {"key": "tenderers", "type": "integer", "label": {"nb": "Tilbydere", "en": "Tenderers"}},
    {"key": "phases", "type": "integer", "label": {"nb": "Faser", "en": "Phases"}},
]
