"""Field values from forms and JSON are validated per the definition's field types."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.definitions import parse_definition
from workflow.domain.fields import clean_fields
from workflow.errors import InvalidInput

LAB = parse_definition((Path(__file__).resolve().parents[1] / "data" / "lab.yaml").read_text())


@pytest.mark.parametrize(
    ("key", "given", "stored"),
    [
        ("need", "  Færre innleggelser ", "Færre innleggelser"),
        ("budget", "1 500 000", 1500000),
        ("budget", "1500000,50", 1500000.5),
        ("budget", 2000, 2000),
        ("deadline", "2027-09-24", "2027-09-24"),
        ("approved", "on", True),
        ("approved", False, False),
        ("area", "north", "north"),
        ("need", "", None),
        ("budget", None, None),
    ],
)
def test_values_are_normalised(key, given, stored):
    assert clean_fields(LAB, {key: given}) == {key: stored}


@pytest.mark.parametrize(
    ("key", "given", "message"),
    [
        ("budget", "lots", "must be an amount in NOK"),
        ("budget", -5, "must not be negative"),
        ("budget", True, "must be an amount in NOK"),
        ("budget", "٣٠٠", "must be an amount in NOK"),
        ("deadline", "24.09.2027", "must be a date as YYYY-MM-DD"),
        ("approved", "maybe", "must be true or false"),
        ("area", "east", "must be one of north, south"),
        ("need", "x" * 20_001, "must be at most 20000 characters"),
        ("need", 42, "must be text"),
        ("colour", "blue", "unknown field for definition 'lab'"),
    ],
)
def test_bad_values_name_the_field(key, given, message):
    with pytest.raises(InvalidInput) as caught:
        clean_fields(LAB, {key: given})

    assert message in caught.value.fields[key].text


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(InvalidInput) as caught:
        clean_fields(LAB, {"budget": "x", "deadline": "y", "need": "ok"})

    assert set(caught.value.fields) == {"budget", "deadline"}


SHIPPED = Path(__file__).resolve().parents[2] / "definitions"
PARTNERSHIP = parse_definition((SHIPPED / "innovation_partnership.yaml").read_text())


@pytest.mark.parametrize("given", ["٣", "３", "1٣"])
def test_whole_numbers_are_ascii_digits(given):
    with pytest.raises(InvalidInput) as caught:
        clean_fields(PARTNERSHIP, {"tenderers_in_negotiation": given})

    assert caught.value.fields["tenderers_in_negotiation"].code == "not_whole_number"


def test_whole_numbers_keep_their_spaces_out():
    assert clean_fields(PARTNERSHIP, {"tenderers_in_negotiation": " 3 "}) == {
        "tenderers_in_negotiation": 3
    }
