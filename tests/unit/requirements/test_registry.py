"""The registry: one entry per kind, and the schema, rules and evaluation follow it."""

from __future__ import annotations

from tests.unit.requirements.kit import definition_with, facts, problems_with
from workflow.definitions.schema import Requirements
from workflow.errors import MESSAGES
from workflow.requirements.evaluate import evaluate
from workflow.requirements.registry import CODES, KINDS


def test_the_requires_model_has_one_entry_per_kind_in_registry_order():
    assert list(Requirements.model_fields) == [kind.key for kind in KINDS]


def test_a_kind_the_registry_lacks_is_an_unknown_key():
    problems = problems_with({"horoscope": ["owner"]})  # ('roles' is a kind since issue #14)

    assert problems == ["kit.yaml: gates[0].requires: unknown key 'horoscope'"]


def test_every_kind_code_is_in_the_one_english_table():
    assert set(MESSAGES) >= CODES
    assert all(MESSAGES[code] == kind.messages[code] for kind in KINDS for code in kind.messages)


def test_evaluation_runs_the_kinds_in_registry_order():
    d = definition_with(
        {
            "compare": [{"field": "budget", "op": ">", "value": 1.0}],
            "partners": {"research": 1},
            "checklist": ["told"],
            "fields": ["need"],
        }
    )

    kinds = [c.kind for c in evaluate(d, d.gates[0], facts())]

    assert kinds == ["field", "checklist", "partners", "compare"]
