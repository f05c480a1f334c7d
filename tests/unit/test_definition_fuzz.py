"""Random mutations of a valid definition never crash the loader: only clean errors."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflow.definitions import parse_definition
from workflow.errors import DefinitionError

LAB = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "lab.yaml").read_text())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, (*prefix, i))
    return found


ALL_PATHS = paths(LAB)[1:]


def problems_or_none(text: str, name: str) -> list[str] | None:
    """The loader's problems for ``text``, or None when it is valid; anything else raises."""
    try:
        parse_definition(text, name)
    except DefinitionError as exc:
        return exc.problems
    return None


def mutate(data: Any, path: tuple, action: str, value: Any) -> Any:
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    else:
        parent.insert(last, value)
    return data


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace", "insert"]), values
        ),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_definitions_load_or_fail_cleanly(mutations):
    data = LAB
    for path, action, value in mutations:
        try:
            data = mutate(data, path, action, value)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue  # an earlier mutation removed this path
    text = yaml.safe_dump(data, allow_unicode=True)

    problems = problems_or_none(text, "lab.yaml")

    assert problems is None or (problems and all(p.startswith("lab.yaml: ") for p in problems))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_loads_or_fails_cleanly(text):
    problems = problems_or_none(text, "x.yaml")

    assert problems is None or all(p.startswith("x.yaml: ") for p in problems)
